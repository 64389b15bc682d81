using System.Reflection;

namespace Notify.IntegrationTests.Infrastructure.Processes;

/// <summary>
/// Where the built silo is: <c>Silo/bin/&lt;configuration&gt;/net10.0/Notify.Silo.dll</c> of this repository (built with
/// the tests, which reference the Silo project), or the file <see cref="OverrideVariable"/> names.
/// </summary>
public static class SiloBinary
{
    /// <summary>Path of a <c>Notify.Silo.dll</c> to run instead of the one built next to the tests.</summary>
    public const string OverrideVariable = "NOTIFY_SILO_DLL";

    private const string FileName = "Notify.Silo.dll";

    private static readonly Lazy<string> _path = new(Locate);

    /// <summary>The full path of <c>Notify.Silo.dll</c>; throws, saying where it looked, when there is none.</summary>
    public static string Path => _path.Value;

    private static string Locate()
    {
        var overridden = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return File.Exists(overridden)
                ? System.IO.Path.GetFullPath(overridden)
                : throw new InvalidOperationException($"{OverrideVariable} names {overridden}, which does not exist");
        }

        var configuration = typeof(SiloBinary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = RepositoryRoot();
        var candidate = System.IO.Path.Combine(root, "Silo", "bin", configuration, "net10.0", FileName);
        if (!File.Exists(candidate) || !File.Exists(System.IO.Path.ChangeExtension(candidate, ".runtimeconfig.json")))
        {
            throw new InvalidOperationException(
                $"the silo is not built at {candidate}: build it with `dotnet build Silo -c {configuration}` (building the tests does), or set {OverrideVariable}");
        }

        return candidate;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no orleans.sln above {AppContext.BaseDirectory}; set {OverrideVariable} to the silo to run");
    }
}
