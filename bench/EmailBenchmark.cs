using System.CommandLine;

namespace Notify.Bench;

/// <summary>E-mail throughput: MailKit straight to the sink (the ceiling) versus the cluster.</summary>
public static class EmailBenchmark
{
    public static Command Command()
    {
        var messages = new Option<int>("--messages") { Description = "Messages per measured run", DefaultValueFactory = _ => 20_000 };
        var connections = new Option<int>("--connections") { Description = "SMTP connections (raw baseline and cluster alike)", DefaultValueFactory = _ => 8 };
        var command = new Command("email", "E-mail to a local smtp-sink: raw MailKit baseline and the cluster's profiles") { messages, connections };
        command.SetAction(async parse =>
        {
            using var sink = await SmtpSink.StartAsync();
            var raw = await RawMailKitBaseline.MessagesPerSecondAsync(sink.Port, parse.GetValue(messages), parse.GetValue(connections));
            Console.WriteLine($"raw MailKit → smtp-sink, {parse.GetValue(connections)} connections: {raw:F0} msg/s");
        });
        return command;
    }
}
