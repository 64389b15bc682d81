namespace Notify.Grains.Abstractions.Messages;

/// <summary>One rejected input field: the JSON/proto field path as the caller wrote it, and why.</summary>
[GenerateSerializer, Immutable, Alias("notify.FieldError")]
public sealed record FieldError([property: Id(0)] string Field, [property: Id(1)] string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}
