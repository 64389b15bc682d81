using Notify.Silo.Hosting;

if (args.Contains(ConfigurationCheck.Flag))
{
    return await ConfigurationCheck.RunAsync([.. args.Where(arg => arg != ConfigurationCheck.Flag)], Console.Out);
}

await NotifyHost.Build(args).RunAsync();
return 0;
