using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Notify.Grains.Abstractions.Actions;

namespace Notify.Client.Cli;

/// <summary>
/// <c>notify actions create|get|update-alert|ack|recover|close|shield|unshield</c> and <c>notify usergroups put|get|delete</c>.
/// <c>actions create --file action.json</c> takes the body of <c>POST /service/actions</c>; <c>usergroups put --file</c> a
/// whole group with its notice rules and duty rotation.
/// </summary>
internal static class ActionCommands
{
    /// <summary>
    /// The REST body's spelling: camelCase names, bk-monitor's strings for the enums (<c>"increasing"</c>, <c>"ABNORMAL"</c>,
    /// step keys such as <c>"abnormal"</c>), numbers also as text; a field the request does not have is an error.
    /// </summary>
    private static readonly JsonSerializerOptions FileOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static Command CreateActions(GlobalOptions global) => new("actions", "Create action instances (bk-monitor's notice action per alert), read and signal them")
    {
        Create(global),
        Get(global),
        UpdateAlert(global),
        Signal(global, "ack", "Acknowledge: send the ack notice once; the repeats stop", (client, id) => client.AckActionAsync(id)),
        Signal(global, "recover", "The alert recovered: send the recovered notice; the repeats stop", (client, id) => client.RecoverActionAsync(id)),
        Signal(global, "close", "The alert was closed: send the closed notice; the repeats stop", (client, id) => client.CloseActionAsync(id)),
        Signal(global, "shield", "Mute: notices that fall due are recorded as shielded instead of sent", (client, id) => client.ShieldActionAsync(id)),
        Signal(global, "unshield", "Unmute", (client, id) => client.UnshieldActionAsync(id)),
    };

    public static Command CreateUserGroups(GlobalOptions global)
    {
        var putId = GroupId();
        var name = new Option<string>("--name") { Description = "The group's name" };
        var members = new Argument<string[]>("members") { Description = "Usernames of the members", Arity = ArgumentArity.ZeroOrMore };
        var groupFile = new Option<FileInfo>("--file")
        {
            Description = "The whole group as JSON, with notice rules and a duty rotation: "
                + "{\"name\":…,\"members\":[…],\"timeZone\":…,\"noticeRules\":[{\"level\":1,\"steps\":{\"abnormal\":[…]},\"timeRanges\":[…]}],"
                + "\"duty\":{\"shifts\":[{\"members\":[…]}],\"handOverTimes\":[\"09:00\"],\"shiftDays\":1,\"startDate\":\"2026-11-23\"}}",
        };
        var put = new Command("put", "Create or replace a user group: --name and members, or --file") { putId, name, members, groupFile };
        put.SetAction(async (parsed, cancellationToken) =>
        {
            var group = new UserGroup { GroupId = parsed.GetValue(putId)!, Name = parsed.GetValue(name) ?? "", Members = parsed.GetValue(members) ?? [] };
            if (parsed.GetValue(groupFile) is { } path)
            {
                var (fromFile, failed) = await ReadFileAsync<GroupFile>(parsed, path, "a user group", cancellationToken);
                if (fromFile is null)
                {
                    return failed;
                }

                group = fromFile.ToUserGroup(group.GroupId);
            }

            return await global.RunAsync(parsed, cancellationToken, async (client, output) =>
            {
                output.UserGroup(await client.PutUserGroupAsync(group));
                return ExitCodes.Ok;
            });
        });

        var getId = GroupId();
        var get = new Command("get", "Show a user group") { getId };
        get.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var groupId = parsed.GetValue(getId)!;
            if (await client.GetUserGroupAsync(groupId) is not { } group)
            {
                output.Error($"no user group '{groupId}'");
                return ExitCodes.NotFound;
            }

            output.UserGroup(group);
            return ExitCodes.Ok;
        }));

        var deleteId = GroupId();
        var delete = new Command("delete", "Delete a user group") { deleteId };
        delete.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var groupId = parsed.GetValue(deleteId)!;
            if (!await client.DeleteUserGroupAsync(groupId))
            {
                output.Error($"no user group '{groupId}'");
                return ExitCodes.NotFound;
            }

            output.Done($"deleted the user group {groupId}");
            return ExitCodes.Ok;
        }));

        return new Command("usergroups", "Manage the user groups action instances notify") { put, get, delete };
    }

    private static Command Create(GlobalOptions global)
    {
        var file = new Option<FileInfo>("--file") { Description = "The instance as JSON: the body of POST /service/actions", Required = true };
        var command = new Command("create", "Create an action instance and send its first notice") { file };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var (request, failed) = await ReadFileAsync<CreateActionRequest>(parsed, parsed.GetValue(file)!, "an action", cancellationToken);
            return request is null ? failed : await global.RunAsync(parsed, cancellationToken, async (client, output) =>
            {
                output.Action(await client.CreateActionAsync(request));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command UpdateAlert(GlobalOptions global)
    {
        var id = ActionId();
        var file = new Option<FileInfo>("--file") { Description = "What changed, as JSON: the body of PATCH /service/actions/{id}/alert", Required = true };
        var command = new Command("update-alert", "Tell an instance its alert changed: the next notice renders the new content, level, dimensions") { id, file };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var (update, failed) = await ReadFileAsync<ActionAlertUpdate>(parsed, parsed.GetValue(file)!, "an alert update", cancellationToken);
            return update is null ? failed : await global.RunAsync(parsed, cancellationToken, async (client, output) =>
            {
                output.Action(await client.UpdateActionAlertAsync(parsed.GetValue(id)!, update));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>Reads a request from <paramref name="path"/> strictly; on failure says why and gives the exit code (2 unreadable, 3 invalid).</summary>
    private static async Task<(T? Value, int ExitCode)> ReadFileAsync<T>(ParseResult parsed, FileInfo path, string what, CancellationToken cancellationToken) where T : class
    {
        try
        {
            await using var stream = path.OpenRead();
            return (await JsonSerializer.DeserializeAsync<T>(stream, FileOptions, cancellationToken) ?? throw new JsonException($"the file holds null, not {what}"), ExitCodes.Ok);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await parsed.InvocationConfiguration.Error.WriteLineAsync($"error: --file: cannot read {path.FullName}: {exception.Message}");
            return (null, ExitCodes.Usage);
        }
        catch (JsonException exception)
        {
            var where = exception.Path is { Length: > 0 } jsonPath ? $" at {jsonPath}" : "";
            await parsed.InvocationConfiguration.Error.WriteLineAsync($"error: {path.Name}{where}: {exception.Message}");
            return (null, ExitCodes.Invalid);
        }
    }

    private static Command Get(GlobalOptions global)
    {
        var id = ActionId();
        var command = new Command("get", "Show an instance: status, schedule and every notice with its result") { id };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var actionId = parsed.GetValue(id)!;
            if (await client.GetActionAsync(actionId) is not { } action)
            {
                output.Error($"action {actionId} does not exist");
                return ExitCodes.NotFound;
            }

            output.Action(action);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Signal(GlobalOptions global, string name, string description, Func<INotifyClient, string, Task<ActionInstanceView>> send)
    {
        var id = ActionId();
        var command = new Command(name, description) { id };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Action(await send(client, parsed.GetValue(id)!));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Argument<string> ActionId() => new("id") { Description = "The action id" };

    private static Argument<string> GroupId() => new("group-id") { Description = "The user group id" };

    /// <summary>A user group as <c>usergroups put --file</c> reads it: the group without its id (the id is the argument's).</summary>
    private sealed record GroupFile
    {
        public string Name { get; init; } = "";

        public IReadOnlyList<string> Members { get; init; } = [];

        public string TimeZone { get; init; } = "UTC";

        public IReadOnlyList<GroupNoticeRule> NoticeRules { get; init; } = [];

        public DutyRotation? Duty { get; init; }

        public UserGroup ToUserGroup(string groupId) =>
            new() { GroupId = groupId, Name = Name, Members = Members, TimeZone = TimeZone, NoticeRules = NoticeRules, Duty = Duty };
    }
}
