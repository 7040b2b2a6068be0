using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Benchmarks;

/// <summary>
/// The stages after the grammar over the whole real-world corpus, warm, pinned to one core: one
/// operation parses and binds all 1,191 files (already in memory), with and without the build checks.
/// Compare with <see cref="ParserBenchmarks"/> for the grammar alone. The target is under one second
/// per operation for parse + bind.
/// </summary>
[Config(typeof(OneCoreConfig))]
[MemoryDiagnoser]
public class BindCorpusBenchmark
{
    private (string Path, string Text)[] files = [];

    [GlobalSetup]
    public void LoadCorpus() => files = RealWorldCorpus.Load().ToArray();

    [Benchmark]
    public int ParseAndBindCorpus()
    {
        var stages = 0;
        foreach (var (path, text) in files)
        {
            stages += BoundDockerfile.Load(text, path).Stages.Count;
        }

        return stages;
    }

    [Benchmark]
    public int ParseBindAndCheckCorpus()
    {
        var findings = 0;
        foreach (var (path, text) in files)
        {
            var syntax = DockerfileParser.Parse(text, path);
            findings += BuildChecks.Run(syntax, DockerfileBinder.Bind(syntax)).Count;
        }

        return findings;
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
