using Xunit;

namespace Notify.IntegrationTests.Infrastructure;

/// <summary>
/// A generated file kept in the repository (<c>docs/openapi/v1.json</c>, <c>docs/configuration.md</c>): a test
/// regenerates it and fails when the checked-in copy differs. With <see cref="UpdateVariable"/>=1 the test writes
/// the new text instead (<c>scripts/update-docs.sh</c>).
/// </summary>
public static class CheckedInDocument
{
    public const string UpdateVariable = "NOTIFY_UPDATE_DOCS";

    public static void AssertCurrent(string relativePath, string generated)
    {
        var path = Path.Combine(RepositoryRoot(), relativePath);
        var text = generated.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        Assert.True(File.Exists(path), $"{relativePath} does not exist: run scripts/update-docs.sh");
        var checkedIn = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(checkedIn == text, $"{relativePath} is out of date: run scripts/update-docs.sh and commit the result. Generated:\n{text}");
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no orleans.sln above {AppContext.BaseDirectory}");
    }
}
