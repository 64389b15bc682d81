using System.CommandLine;
using Notify.Bench;

var root = new RootCommand("Benchmarks of the notification cluster; each prints its figures.")
{
    EmailBenchmark.Command(),
    TemplateBenchmark.Command(),
    GatewayBenchmark.Command(),
    ActionBenchmark.Command(),
    AttentionStormBenchmark.Command(),
    ClusterBenchmark.Command(),
    HttpBenchmark.Command(),
    RecordsBenchmark.Command(),
};
return await root.Parse(args).InvokeAsync();
