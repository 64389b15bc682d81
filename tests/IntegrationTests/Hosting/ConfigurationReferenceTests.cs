using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Notify.Client;
using Notify.Grains.Channels;
using Notify.IntegrationTests.Infrastructure;
using Notify.Silo.Hosting;
using Xunit;

namespace Notify.IntegrationTests.Hosting;

/// <summary>
/// docs/configuration.md is generated from the options classes: every settable property of every class with a
/// <c>SectionName</c> (or <c>Section</c>) constant in the silo, grains and client assemblies, plus the host's own keys,
/// with the default a new instance has and the meaning its <c>&lt;summary&gt;</c> gives. The test fails when the
/// checked-in file differs: an undocumented property, a key that no longer exists, a changed default or meaning.
/// Regenerate with <c>scripts/update-docs.sh</c>.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    /// <summary>The keys <see cref="NotifyHostOptions.Read"/> reads, by property; a property missing here fails the test.</summary>
    private static readonly Dictionary<string, string> HostKeys = new()
    {
        [nameof(NotifyHostOptions.Profile)] = "Notify:Profile",
        [nameof(NotifyHostOptions.ConnectionString)] = "ConnectionStrings:Notify",
        [nameof(NotifyHostOptions.ClusterId)] = "Orleans:ClusterId",
        [nameof(NotifyHostOptions.ServiceId)] = "Orleans:ServiceId",
        [nameof(NotifyHostOptions.SiloPort)] = "Silo:SiloPort",
        [nameof(NotifyHostOptions.GatewayPort)] = "Silo:GatewayPort",
        [nameof(NotifyHostOptions.AdvertisedIp)] = "Silo:AdvertisedIP",
        [nameof(NotifyHostOptions.MinimumReminderPeriod)] = "Notify:Reminders:MinimumPeriod",
        [nameof(NotifyHostOptions.ListenAddress)] = "Gateway:ListenAddress",
        [nameof(NotifyHostOptions.HttpPort)] = "Gateway:HttpPort",
        [nameof(NotifyHostOptions.GrpcPort)] = "Gateway:GrpcPort",
        [nameof(NotifyHostOptions.ShutdownTimeout)] = "Notify:ShutdownTimeout",
    };

    private static readonly Assembly[] OptionsAssemblies =
        [typeof(NotifyHostOptions).Assembly, typeof(ChannelSenderOptions).Assembly, typeof(NotifyClientOptions).Assembly];

    [Fact]
    public void ConfigurationMd_ListsEveryOptionsKeyWithItsDefaultAndMeaning()
    {
        var rows = HostRows().Concat(OptionsRows()).ToList();

        var undocumented = rows.Where(row => row.Meaning.Length == 0).Select(row => row.Key).ToList();
        Assert.True(undocumented.Count == 0, $"keys without a <summary> on their property: {string.Join(", ", undocumented)}");
        CheckedInDocument.AssertCurrent("docs/configuration.md", Render(rows));
    }

    [Fact]
    public void HostKeys_NameEveryNotifyHostOptionsProperty()
    {
        var properties = typeof(NotifyHostOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => property.Name);

        Assert.Equal(properties.Order(StringComparer.Ordinal), HostKeys.Keys.Order(StringComparer.Ordinal));
    }

    private sealed record Row(string Group, string Key, string Default, string Meaning);

    private static IEnumerable<Row> HostRows()
    {
        var defaults = new NotifyHostOptions();
        foreach (var property in typeof(NotifyHostOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = HostKeys.TryGetValue(property.Name, out var known) ? known : $"(no key for NotifyHostOptions.{property.Name})";
            yield return new Row("Host (NotifyHostOptions)", key, FormatDefault(property.GetValue(defaults)), Summaries.Of(property));
        }
    }

    private static IEnumerable<Row> OptionsRows()
    {
        var sections = OptionsAssemblies.SelectMany(assembly => assembly.GetTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && type.GetConstructor(Type.EmptyTypes) is not null)
            .Select(type => (Type: type, Section: SectionOf(type)))
            .Where(entry => entry.Section is not null)
            .OrderBy(entry => entry.Section, StringComparer.Ordinal)
            .ThenBy(entry => entry.Type.Name, StringComparer.Ordinal);
        foreach (var (type, section) in sections)
        {
            foreach (var row in Rows($"{section} ({type.Name})", section!, type, Activator.CreateInstance(type), parentMeaning: ""))
            {
                yield return row;
            }
        }
    }

    private static string? SectionOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .FirstOrDefault(field => field is { IsLiteral: true, Name: "SectionName" or "Section" } && field.FieldType == typeof(string))
            ?.GetRawConstantValue() as string;

    private static IEnumerable<Row> Rows(string group, string prefix, Type type, object? instance, string parentMeaning)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(property => property.SetMethod is { IsPublic: true } || IsCollection(property.PropertyType))
                     .OrderBy(property => property.MetadataToken))
        {
            var key = $"{prefix}:{property.Name}";
            var meaning = Summaries.Of(property) is { Length: > 0 } summary ? summary : parentMeaning;
            var value = instance is null ? null : property.GetValue(instance);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (DictionaryValueType(propertyType) is { } entryType && IsComplex(entryType))
            {
                foreach (var row in Rows(group, $"{key}:<name>", entryType, Activator.CreateInstance(entryType), meaning))
                {
                    yield return row;
                }
            }
            else if (ListItemType(propertyType) is { } itemType && IsComplex(itemType))
            {
                foreach (var row in Rows(group, $"{key}:<index>", itemType, Activator.CreateInstance(itemType), meaning))
                {
                    yield return row;
                }
            }
            else if (IsComplex(propertyType))
            {
                foreach (var row in Rows(group, key, propertyType, value, meaning))
                {
                    yield return row;
                }
            }
            else
            {
                var shownKey = ListItemType(propertyType) is not null ? $"{key}:<index>" : key;
                yield return new Row(group, shownKey, FormatDefault(value), meaning);
            }
        }
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static bool IsComplex(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && type != typeof(IPAddress) && !IsCollection(type);

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;

    private static Type? ListItemType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() is var definition && (definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>))
            ? type.GetGenericArguments()[0]
            : null;

    private static string FormatDefault(object? value) => value switch
    {
        null => "(unset)",
        string { Length: 0 } => "(empty)",
        string text => $"`{text}`",
        bool flag => flag ? "`true`" : "`false`",
        TimeSpan span => $"`{span.ToString("c", CultureInfo.InvariantCulture)}`",
        IFormattable formattable => $"`{formattable.ToString(null, CultureInfo.InvariantCulture)}`",
        IEnumerable items when !items.Cast<object>().Any() => "(none)",
        IEnumerable items => string.Join(", ", items.Cast<object>().Select(FormatDefault)),
        _ => $"`{value}`",
    };

    private static string Render(IReadOnlyList<Row> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("# Configuration reference");
        text.AppendLine();
        text.AppendLine("Generated from the options classes by `ConfigurationReferenceTests` (tests/IntegrationTests/Hosting); do not edit by");
        text.AppendLine("hand: change the property's `<summary>` or default and run `scripts/update-docs.sh`. The test fails when this file");
        text.AppendLine("and the code disagree.");
        text.AppendLine();
        text.AppendLine("Every key can come from `appsettings.json`, `appsettings.<Environment>.json` beside the binary, an environment");
        text.AppendLine("variable (`:` written as `__`, e.g. `Channels__Email__Host`) or the command line (`--Channels:Email:Host=…`).");
        text.AppendLine("`<name>` and `<index>` stand for a dictionary key or a list position. `(unset)` means no value; the meaning says");
        text.AppendLine("what the silo does then. Options are validated at start (and by `--check-config`).");
        foreach (var group in rows.GroupBy(row => row.Group))
        {
            text.AppendLine();
            text.AppendLine($"## {group.Key}");
            text.AppendLine();
            text.AppendLine("| key | default | meaning |");
            text.AppendLine("|---|---|---|");
            foreach (var row in group)
            {
                text.AppendLine($"| `{row.Key}` | {row.Default.Replace("|", "\\|", StringComparison.Ordinal)} | {row.Meaning.Replace("|", "\\|", StringComparison.Ordinal)} |");
            }
        }

        return text.ToString();
    }

    /// <summary>The <c>&lt;summary&gt;</c> of a property, read from its source file, as one line of Markdown.</summary>
    private static partial class Summaries
    {
        private static readonly Lazy<string[]> SourceFiles = new(() =>
        {
            var root = CheckedInDocument.RepositoryRoot();
            return new[] { "Silo", "Grains", "Client" }
                .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
                .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                               && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .ToArray();
        });

        public static string Of(PropertyInfo property)
        {
            var declaring = property.DeclaringType!;
            var classPattern = new Regex($@"\b(class|record)\s+{Regex.Escape(declaring.Name)}\b");
            foreach (var file in SourceFiles.Value)
            {
                var lines = File.ReadAllLines(file);
                var classLine = Array.FindIndex(lines, line => classPattern.IsMatch(line));
                if (classLine < 0)
                {
                    continue;
                }

                var propertyPattern = new Regex($@"^\s*public\s+(required\s+)?[\w<>\[\]?,. ]+\s+{Regex.Escape(property.Name)}\s*\{{");
                var propertyLine = Array.FindIndex(lines, classLine, line => propertyPattern.IsMatch(line));
                return propertyLine < 0 ? "" : SummaryAbove(lines, propertyLine);
            }

            return "";
        }

        private static string SummaryAbove(string[] lines, int propertyLine)
        {
            var comment = new List<string>();
            for (var index = propertyLine - 1; index >= 0; index--)
            {
                var line = lines[index].Trim();
                if (line.StartsWith("///", StringComparison.Ordinal))
                {
                    comment.Insert(0, line[3..].Trim());
                }
                else if (!line.StartsWith('['))
                {
                    break;
                }
            }

            var xml = string.Join(' ', comment);
            var summary = SummaryElement().Match(xml) is { Success: true } match ? match.Groups[1].Value : "";
            summary = CodeElement().Replace(summary, "`$1`");
            summary = CrefElement().Replace(summary, match => $"`{match.Groups[1].Value.Split('.')[^1]}`");
            summary = NameElement().Replace(summary, "`$1`");
            summary = OtherTag().Replace(summary, "");
            return WhiteSpace().Replace(WebUtility.HtmlDecode(summary), " ").Trim();
        }

        [GeneratedRegex("<summary>(.*?)</summary>")]
        private static partial Regex SummaryElement();

        [GeneratedRegex("<c>(.*?)</c>")]
        private static partial Regex CodeElement();

        [GeneratedRegex("<see (?:cref|langword)=\"(?:[A-Z]:)?([^\"]+)\"\\s*/>")]
        private static partial Regex CrefElement();

        [GeneratedRegex("<(?:paramref|typeparamref) name=\"([^\"]+)\"\\s*/>")]
        private static partial Regex NameElement();

        [GeneratedRegex("<[^>]+>")]
        private static partial Regex OtherTag();

        [GeneratedRegex(@"\s+")]
        private static partial Regex WhiteSpace();
    }
}
