using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Testing;

namespace Dockerbuild.Benchmarks;

/// <summary>
/// Parses and binds the whole real-world corpus (1,191 Dockerfiles) on one core. Each operation is one
/// file, so BenchmarkDotNet's Op/s column is files per second and Mean x 1,191 is the corpus time
/// (target: under 1 s warm). The texts are read once, before timing.
/// </summary>
[Config(typeof(OneCore))]
[MemoryDiagnoser]
public class BindCorpusBenchmark
{
    private const int CorpusFiles = 1191;

    private (string Name, string Text)[] files = [];

    [GlobalSetup]
    public void LoadCorpus()
    {
        var lines = File.ReadAllLines(Conformance.PathOf("realworld", "MANIFEST.tsv"));
        var column = Array.IndexOf(lines[0].Split('\t'), "file");
        files = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split('\t')[column])
            .Select(f => (f, File.ReadAllText(Conformance.PathOf("realworld", f))))
            .ToArray();
        if (files.Length != CorpusFiles)
        {
            throw new InvalidOperationException($"expected {CorpusFiles} corpus files, found {files.Length}");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CorpusFiles)]
    public int Parse()
    {
        var instructions = 0;
        foreach (var (name, text) in files)
        {
            instructions += DockerfileParser.Parse(text, name).Instructions.Count;
        }

        return instructions;
    }

    [Benchmark(OperationsPerInvoke = CorpusFiles)]
    public int ParseAndBind()
    {
        var stages = 0;
        foreach (var (name, text) in files)
        {
            stages += BoundDockerfile.Load(text, name).Stages.Count;
        }

        return stages;
    }

    [Benchmark(OperationsPerInvoke = CorpusFiles)]
    public int ParseBindAndCheck()
    {
        var findings = 0;
        foreach (var (name, text) in files)
        {
            var syntax = DockerfileParser.Parse(text, name);
            findings += BuildChecks.Run(syntax, DockerfileBinder.Bind(syntax)).Count;
        }

        return findings;
    }

    private sealed class OneCore : ManualConfig
    {
        public OneCore() => AddJob(Job.Default.WithAffinity(1));
    }
}
