using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Benchmarks;

/// <summary>
/// Writes a ~100 MB layer (about a third random bytes like compiled binaries and archives, the rest
/// text-like, across 2,000 small files and a few large ones) to a discarding stream, so the figure is
/// tar writing + diffID + compression + digest, not disk. MB/s = 100 / mean seconds. The gzip and
/// zstd command lines compressing the same tar (already written to a file) are the peers.
/// Run: dotnet run -c Release --project tests/Dockerbuild.Benchmarks -- --filter '*LayerBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LayerBenchmarks
{
    private const int SmallFiles = 2000;
    private readonly List<LayerEntry> entries = [];
    private string tarFile = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2024);
        var text = TextLike(random, 8 * 1024 * 1024);
        var noise = new byte[8 * 1024 * 1024];
        random.NextBytes(noise);

        long total = 0;
        for (var i = 0; i < SmallFiles; i++)
        {
            var size = random.Next(1024, 40 * 1024);
            var source = i % 3 == 0 ? noise : text;
            entries.Add(Slice($"usr/share/app{i % 20}/file{i:0000}", source, random.Next(source.Length - size), size));
            total += size;
        }

        var big = 0;
        while (total < 100_000_000)
        {
            var size = (int)Math.Min(8 * 1024 * 1024 - 1, 100_000_000 - total);
            var source = big % 3 == 0 ? noise : text;
            entries.Add(Slice($"usr/lib/big{big++}.so", source, 0, size));
            total += size;
        }

        tarFile = Path.Combine(Path.GetTempPath(), $"dockerbuild-bench-{Environment.ProcessId}.tar");
        using var file = File.Create(tarFile);
        LayerTarWriter.WriteAsync(entries, file, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(tarFile);

    [Benchmark(Baseline = true), BenchmarkCategory("gzip")]
    public Task<LayerDescriptorInfo> GzipParallel() => Write(new LayerWriteOptions { Compression = LayerCompression.Gzip });

    [Benchmark, BenchmarkCategory("gzip")]
    public Task<LayerDescriptorInfo> GzipOneThread() => Write(new LayerWriteOptions { Compression = LayerCompression.Gzip, CompressionThreads = 1 });

    [Benchmark, BenchmarkCategory("gzip")]
    public Task<LayerDescriptorInfo> GzipLevel6Parallel() => Write(new LayerWriteOptions { Compression = LayerCompression.Gzip, CompressionLevel = 6 });

    [Benchmark, BenchmarkCategory("gzip")]
    public Task GzipCommandLine() => Run("gzip", "-6", "-c");

    [Benchmark(Baseline = true), BenchmarkCategory("zstd")]
    public Task<LayerDescriptorInfo> ZstdParallel() => Write(new LayerWriteOptions { Compression = LayerCompression.Zstd });

    [Benchmark, BenchmarkCategory("zstd")]
    public Task<LayerDescriptorInfo> ZstdOneThread() => Write(new LayerWriteOptions { Compression = LayerCompression.Zstd, CompressionThreads = 1 });

    [Benchmark, BenchmarkCategory("zstd")]
    public Task ZstdCommandLine() => Run("zstd", "-3", "-T0", "-c");

    [Benchmark, BenchmarkCategory("tar")]
    public Task<LayerDescriptorInfo> Uncompressed() => Write(new LayerWriteOptions { Compression = LayerCompression.None });

    private Task<LayerDescriptorInfo> Write(LayerWriteOptions options) =>
        LayerWriter.WriteAsync(entries, Stream.Null, options, CancellationToken.None);

    private async Task Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true };
        foreach (var argument in arguments.Append(tarFile))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        await process.WaitForExitAsync();
    }

    private static LayerEntry Slice(string path, byte[] source, int offset, int size) =>
        new()
        {
            Path = path,
            Type = LayerEntryType.RegularFile,
            Mode = 0b110_100_100,
            Size = size,
            OpenContent = _ => ValueTask.FromResult<Stream>(new MemoryStream(source, offset, size, writable: false)),
        };

    /// <summary>Words drawn with a skewed distribution, which compresses about as well as source code and configs.</summary>
    private static byte[] TextLike(Random random, int length)
    {
        string[] words = ["the", "layer", "public", "static", "return", "void", "int", "string", "config", "{", "}", "=", ";", "\n", "    ", "if", "else", "for", "var", "new", "class", "namespace", "using", "System", "Task", "async", "await", "0", "1", "null"];
        var result = new byte[length];
        var position = 0;
        while (position < length)
        {
            var word = words[(int)(words.Length * Math.Pow(random.NextDouble(), 2))];
            var suffix = random.Next(10) == 0 ? random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            foreach (var c in word + suffix + " ")
            {
                if (position == length)
                {
                    break;
                }

                result[position++] = (byte)c;
            }
        }

        return result;
    }
}
