using System.CommandLine;
using Notify.Grains.Abstractions.Receivers;

namespace Notify.Client.Cli;

/// <summary><c>notify blacklist list|add|remove</c> and <c>notify contacts get|put|delete</c>.</summary>
internal static class AdminCommands
{
    public static Command CreateBlacklist(GlobalOptions global)
    {
        var list = new Command("list", "Show who never receives anything");
        list.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Users(await client.GetBlacklistAsync());
            return ExitCodes.Ok;
        }));

        var addUsers = Users();
        var add = new Command("add", "Blacklist users or addresses") { addUsers };
        add.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Users(await client.AddToBlacklistAsync(parsed.GetValue(addUsers)!));
            return ExitCodes.Ok;
        }));

        var removeUsers = Users();
        var remove = new Command("remove", "Take users or addresses off the blacklist") { removeUsers };
        remove.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Users(await client.RemoveFromBlacklistAsync(parsed.GetValue(removeUsers)!));
            return ExitCodes.Ok;
        }));

        return new Command("blacklist", "Manage the blacklist") { list, add, remove };
    }

    public static Command CreateContacts(GlobalOptions global)
    {
        var getUsername = Username();
        var get = new Command("get", "Show a user's addresses") { getUsername };
        get.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var username = parsed.GetValue(getUsername)!;
            if (await client.GetContactAsync(username) is not { } contact)
            {
                output.Error($"no contact for '{username}'");
                return ExitCodes.NotFound;
            }

            output.Contact(contact);
            return ExitCodes.Ok;
        }));

        var putUsername = Username();
        var email = Address("--email", "E-mail address");
        var phone = Address("--phone", "Phone number (sms and voice)");
        var wecom = Address("--wecom-user-id", "WeCom user id (rtx)");
        var wechat = Address("--wechat-open-id", "WeChat open id");
        var put = new Command("put", "Set a user's addresses (replaces them all)") { putUsername, email, phone, wecom, wechat };
        put.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Contact(await client.PutContactAsync(new Contact
            {
                Username = parsed.GetValue(putUsername)!,
                Email = parsed.GetValue(email)!,
                Phone = parsed.GetValue(phone)!,
                WecomUserId = parsed.GetValue(wecom)!,
                WechatOpenId = parsed.GetValue(wechat)!,
            }));
            return ExitCodes.Ok;
        }));

        var deleteUsername = Username();
        var delete = new Command("delete", "Delete a user's contact entry") { deleteUsername };
        delete.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var username = parsed.GetValue(deleteUsername)!;
            if (!await client.DeleteContactAsync(username))
            {
                output.Error($"no contact for '{username}'");
                return ExitCodes.NotFound;
            }

            output.Done($"deleted the contact of {username}");
            return ExitCodes.Ok;
        }));

        return new Command("contacts", "Manage the contact directory") { get, put, delete };
    }

    private static Argument<string[]> Users() => new("users") { Description = "Usernames or addresses", Arity = ArgumentArity.OneOrMore };

    private static Argument<string> Username() => new("username") { Description = "The username" };

    private static Option<string> Address(string name, string description) => new(name) { Description = description, DefaultValueFactory = _ => "" };
}
