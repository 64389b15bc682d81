namespace Notify.IntegrationTests.Operations;

/// <summary>Files of this repository, found from the test binaries upward (the folder holding orleans.sln).</summary>
internal static class RepositoryFiles
{
    public static string PathOf(params string[] parts) => Path.Combine([Root(), .. parts]);

    private static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no orleans.sln above {AppContext.BaseDirectory}: the test reads files of the repository");
    }
}
