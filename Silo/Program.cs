using Notify.Silo.Hosting;

await NotifyHost.Build(args).RunAsync();
