using System.CommandLine;
using System.Security.Cryptography;
using System.Text;

namespace Notify.Client.Cli;

/// <summary>
/// <c>notify keys new|hash</c>: make gateway API keys and the SHA-256 hashes the silo is configured with
/// (<c>Gateway:ApiKeys:&lt;system&gt;:Hash</c>, <c>Gateway:AdminKeys:&lt;name&gt;:Hash</c>). Works offline: the silo never sees a key
/// until a caller presents it.
/// </summary>
internal static class KeyCommands
{
    public static Command Create(GlobalOptions global, TextReader input)
    {
        var name = new Option<string>("--name") { Description = "The calling system (or, with --admin, the operator) the key is for", DefaultValueFactory = _ => "my-system" };
        var admin = new Option<bool>("--admin") { Description = "An operator key (Gateway:AdminKeys) instead of a calling system's" };
        var create = new Command("new", "Make a random 256-bit key and print it with its hash and the configuration to add") { name, admin };
        create.SetAction(parsed =>
        {
            var output = Output(global, parsed);
            var key = "nk_" + Base64Url(RandomNumberGenerator.GetBytes(32));
            var section = parsed.GetValue(admin) ? "AdminKeys" : "ApiKeys";
            output.NewKey(key, Hash(key), $"Gateway:{section}:{parsed.GetValue(name)}:Hash");
            return ExitCodes.Ok;
        });

        var keyArgument = new Argument<string?>("key") { Description = "The key; omitted, it is read from the first line of standard input (keeps it out of the shell history)", Arity = ArgumentArity.ZeroOrOne };
        var hash = new Command("hash", "Print the SHA-256 (hex) of a key, the value of Gateway:ApiKeys:<system>:Hash") { keyArgument };
        hash.SetAction(parsed =>
        {
            var output = Output(global, parsed);
            var key = parsed.GetValue(keyArgument) ?? input.ReadLine();
            if (string.IsNullOrEmpty(key))
            {
                output.Error("no key given: pass it as an argument or on standard input");
                return ExitCodes.Usage;
            }

            output.KeyHash(Hash(key));
            return ExitCodes.Ok;
        });

        return new Command("keys", "Make gateway API keys and their hashes") { create, hash };
    }

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes: exactly what the silo compares against.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static CliOutput Output(GlobalOptions global, ParseResult parsed) =>
        new(parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, parsed.GetValue(global.Json));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
