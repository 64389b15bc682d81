using System.Text.RegularExpressions;

namespace Notify.UnitTests.Architecture;

/// <summary>
/// The grains' folders depend one way: messages → delivery stages → channels, never back. Read from the sources, so a
/// <c>using</c> or a qualified name that points back fails here.
/// </summary>
public sealed partial class FolderDependencyTests
{
    public static TheoryData<string, string> ForbiddenReferences => new()
    {
        { "Channels", "Delivery" },
        { "Channels", "Messages" },
        { "Channels", "Actions" },
        { "Channels", "Templates" },
        { "Delivery", "Messages" },
        { "Delivery", "Actions" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenReferences))]
    public void Folder_DoesNotReferenceAFolderThatDependsOnIt(string folder, string forbidden)
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "Grains", folder), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(sources);

        var reference = new Regex($@"(\bNotify\.Grains\.{forbidden}\b)|((?<![.\w]){forbidden}\.[A-Z])");
        var offending = sources
            .SelectMany(path => File.ReadLines(path).Select((line, i) => (path, line, number: i + 1)))
            .Where(l => !l.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && reference.IsMatch(StripAbstractions(l.line)))
            .Select(l => $"{Path.GetRelativePath(RepositoryRoot(), l.path)}:{l.number}: {l.line.Trim()}")
            .ToList();

        Assert.True(offending.Count == 0, $"Grains/{folder} refers to Grains/{forbidden}:\n{string.Join('\n', offending)}");
    }

    // The contract's own Delivery namespace (Notify.Grains.Abstractions.Delivery) is everyone's to use.
    private static string StripAbstractions(string line) => AbstractionsNamespace().Replace(line, "");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no orleans.sln above {AppContext.BaseDirectory}: the test reads the sources beside it");
    }

    [GeneratedRegex(@"\b(Notify\.Grains\.)?Abstractions\.\w+(\.\w+)*")]
    private static partial Regex AbstractionsNamespace();
}
