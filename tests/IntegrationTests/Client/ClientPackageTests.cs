using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Host;
using Xunit;

namespace Notify.IntegrationTests.Client;

/// <summary>
/// Packs Notify.Client (and Notify.Grains.Abstractions, which it depends on) from the Debug build the tests run on,
/// then builds a fresh project outside the repository that references the package from that local folder and sends
/// through it, over the gRPC gateway and over the Orleans gateway, registered with
/// <c>services.AddNotifyClient(configuration)</c>.
/// </summary>
public sealed class ClientPackageTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    // Restoring and building a project from scratch on a loaded 2-core machine takes minutes.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);

    private static readonly string[] ServerPackages = ["Npgsql", "Microsoft.Orleans.Clustering.AdoNet", "Microsoft.Orleans.Server", "System.CommandLine", "Spectre.Console"];

    [Fact]
    public async Task PackedClient_ReferencedFromAFreshProject_SendsOverBothTransportsWithoutServerDependencies()
    {
        var work = Directory.CreateTempSubdirectory("notify-client-package-");
        try
        {
            var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
            var feed = Directory.CreateDirectory(Path.Combine(work.FullName, "feed")).FullName;
            var root = RepositoryRoot();
            foreach (var project in new[] { "Grains.Abstractions/Grains.Abstractions.csproj", "Client/Client.csproj" })
            {
                await RunAsync(work.FullName, "dotnet", ["pack", Path.Combine(root, project), "--no-build", "-c", BuildConfiguration, "-o", feed, $"-p:Version={version}"]);
            }

            var dependencies = PackageDependencies(Path.Combine(feed, $"Notify.Client.{version}.nupkg"));
            Assert.Contains("Microsoft.Orleans.Client", dependencies);
            Assert.Contains("Notify.Grains.Abstractions", dependencies);
            Assert.Empty(dependencies.Intersect(ServerPackages));

            var consumer = WriteConsumer(work.FullName, feed, version);
            await RunAsync(consumer, "dotnet", ["build", "-v", "q", "-nologo"], IsolatedPackages(work.FullName));
            var assets = await File.ReadAllTextAsync(Path.Combine(consumer, "obj", "project.assets.json"), TestContext.Current.CancellationToken);
            Assert.All(ServerPackages, package => Assert.DoesNotContain($"\"{package}/", assets, StringComparison.Ordinal));

            var program = Path.Combine(consumer, "bin", "Debug", "net10.0", "Consumer.dll");
            string[][] transports =
            [
                ["--NotifyClient:Transport=Grpc", $"--NotifyClient:GrpcAddress=http://127.0.0.1:{fixture.Host.Ports.Grpc}"],
                ["--NotifyClient:Transport=Orleans", $"--NotifyClient:OrleansGateways:0=127.0.0.1:{fixture.Host.Ports.OrleansGateway}"],
            ];
            foreach (var transport in transports)
            {
                var messageId = (await RunAsync(consumer, "dotnet", [program, .. transport])).Trim();

                var record = await fixture.Host.WaitForFinalAsync(messageId);
                Assert.Equal(MessageStatus.Sent, record.Status);
                Assert.Equal("package-consumer", record.Message.Source);
            }

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(consumer, "dotnet", [program, "--NotifyClient:Transport=Grpc"]));
            Assert.Contains("NotifyClient:GrpcAddress: the gRPC transport needs the gateway's http:// or https:// address", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string BuildConfiguration =>
        typeof(ClientPackageTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug";

    /// <summary>
    /// A package cache of its own, so the test packages never enter the machine's; the machine's cache serves as a
    /// local source for everything else, and the configured feed for what it lacks.
    /// </summary>
    private static Dictionary<string, string> IsolatedPackages(string work) => new() { ["NUGET_PACKAGES"] = Path.Combine(work, "packages") };

    private static string WriteConsumer(string work, string feed, string version)
    {
        var directory = Directory.CreateDirectory(Path.Combine(work, "consumer")).FullName;
        var machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="notify-local" value="{feed}" />
                <add key="machine-cache" value="{machineCache}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Notify.Client" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using Notify.Client;

            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddCommandLine(args);
            builder.Services.AddNotifyClient(builder.Configuration);
            using var host = builder.Build();
            await host.StartAsync();
            var notify = host.Services.GetRequiredService<INotifyClient>();
            var accepted = await notify.SendEmailAsync(["package@example.com"], "from the package", "sent by a project that references Notify.Client",
                options: new SendOptions { Source = "package-consumer" });
            Console.WriteLine(accepted.MessageId);
            await host.StopAsync();
            """);
        return directory;
    }

    private static string[] PackageDependencies(string package)
    {
        using var archive = ZipFile.OpenRead(package);
        var nuspec = archive.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        return XDocument.Load(stream).Descendants().Where(element => element.Name.LocalName == "dependency")
            .Select(element => (string)element.Attribute("id")!).Distinct().ToArray();
    }

    private static string RepositoryRoot()
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

    /// <summary>Runs a command to completion and returns its standard output; fails with both outputs otherwise.</summary>
    private static async Task<string> RunAsync(string directory, string fileName, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`{fileName} {string.Join(' ', arguments)}` did not finish within {CommandTimeout}");
        }

        if (process.ExitCode != 0)
        {
            var message = new StringBuilder($"`{fileName} {string.Join(' ', arguments)}` exited with code {process.ExitCode}");
            message.AppendLine().Append(await output).AppendLine().Append(await error);
            throw new InvalidOperationException(message.ToString());
        }

        return await output;
    }
}
