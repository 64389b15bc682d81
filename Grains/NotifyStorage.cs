namespace Notify.Grains;

/// <summary>The grain storage every durable grain uses: memory in the embedded profile, ADO.NET in the Postgres profile.</summary>
public static class NotifyStorage
{
    public const string Name = "notify";
}
