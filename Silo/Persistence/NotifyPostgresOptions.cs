using Microsoft.Extensions.Options;
using Npgsql;

namespace Notify.Silo.Persistence;

/// <summary>Settings of the Postgres profile, shared by silos and clients.</summary>
public sealed class NotifyPostgresOptions
{
    /// <summary>The configuration key the connection string is read from; validation messages name it.</summary>
    public const string ConnectionStringKey = "ConnectionStrings:Notify";

    /// <summary>PostgreSQL connection string (Npgsql syntax). Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Whether a silo applies the schema scripts when it starts (<see cref="SchemaMigrator"/>). Turn it off where
    /// the database account may not run DDL and the schema is applied separately (the CLI). The default is true.
    /// </summary>
    public bool ApplySchemaOnStartup { get; set; } = true;
}

internal sealed class NotifyPostgresOptionsValidator : IValidateOptions<NotifyPostgresOptions>
{
    public ValidateOptionsResult Validate(string? name, NotifyPostgresOptions options)
    {
        const string key = NotifyPostgresOptions.ConnectionStringKey;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail($"{key} is required by the Postgres profile and is empty.");
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException exception)
        {
            // The parser's message names the offending keyword, never the password.
            return ValidateOptionsResult.Fail($"{key} is not a valid PostgreSQL connection string: {exception.Message}");
        }

        return string.IsNullOrWhiteSpace(parsed.Host)
            ? ValidateOptionsResult.Fail($"{key} names no Host.")
            : ValidateOptionsResult.Success;
    }
}
