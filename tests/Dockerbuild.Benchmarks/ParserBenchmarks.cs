using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Benchmarks;

/// <summary>
/// The front end over the whole real-world corpus, warm, pinned to one core: one operation parses all
/// 1,191 files (already in memory). The target is under one second per operation.
/// </summary>
[Config(typeof(OneCoreConfig))]
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private string[] texts = [];

    [GlobalSetup]
    public void LoadCorpus() => texts = RealWorldCorpus.Load().Select(file => file.Text).ToArray();

    [Benchmark]
    public int ParseCorpus()
    {
        var instructions = 0;
        foreach (var text in texts)
        {
            instructions += DockerfileParser.Parse(text, "Dockerfile").Instructions.Count;
        }

        return instructions;
    }

    private sealed class OneCoreConfig : ManualConfig
    {
        public OneCoreConfig()
        {
            AddJob(Job.Default.WithAffinity(1).WithWarmupCount(3).WithIterationCount(10));
            AddColumn(new FilesPerSecondColumn());
        }
    }
}
