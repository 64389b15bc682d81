using Notify.Client.Cli;

return await NotifyCli.RunAsync(args, Console.Out, Console.Error);
