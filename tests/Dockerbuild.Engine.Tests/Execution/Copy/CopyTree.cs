using System.Runtime.Versioning;
using System.Text;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Execution.Copy;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Execution.Copy;

/// <summary>A context directory and an image root directory in temp, and a planner to run COPY/ADD between them.</summary>
[UnsupportedOSPlatform("windows")]
internal sealed class CopyTree : IDisposable
{
    private readonly TempDirectory temp = new("dockerbuild-copy-");

    public CopyTree()
    {
        Directory.CreateDirectory(ContextDir);
        Directory.CreateDirectory(RootfsDir);
        Directory.CreateDirectory(ScratchDir);
        Hasher = new ContentHasher();
    }

    public string ContextDir => temp.Combine("context");

    public string RootfsDir => temp.Combine("rootfs");

    public string ScratchDir => temp.Combine("scratch");

    public string Combine(params string[] parts) => temp.Combine(parts);

    public ContentHasher Hasher { get; set; }

    public HttpClient? Http { get; set; }

    public static string ContextPath(string root, string relative) => Path.Combine(root, relative);

    public void Write(string relative, string content, int mode = 0b110_100_100) => WriteUnder(ContextDir, relative, content, mode);

    public void WriteImage(string relative, string content, int mode = 0b110_100_100) => WriteUnder(RootfsDir, relative, content, mode);

    public static void WriteUnder(string root, string relative, string content, int mode = 0b110_100_100)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    public async Task<CopyPlan> PlanAsync(CopyRequest request) =>
        await new CopyPlanner(Hasher, Http, ScratchDir).PlanAsync(request, TestContext.Current.CancellationToken);

    /// <summary>A COPY from the context into the image root, as the tests mostly need.</summary>
    public async Task<Dictionary<string, LayerEntry>> CopyAsync(
        IReadOnlyList<string> sources, string destination, Func<CopyRequest, CopyRequest>? adjust = null)
    {
        var context = await BuildContext.FromDirectoryAsync(ContextDir, null, TestContext.Current.CancellationToken);
        var request = new CopyRequest
        {
            Sources = sources,
            Destination = destination,
            Source = context.FileSystem,
            Target = new DirectoryFileSystem(RootfsDir),
            CreatedTime = DateTimeOffset.FromUnixTimeSeconds(1_000_000),
        };
        await using var plan = await PlanAsync(adjust is null ? request : adjust(request));
        var entries = plan.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
        LastDigest = plan.InputDigest;
        LastContents = [];
        foreach (var entry in plan.Entries.Where(e => e.Type == LayerEntryType.RegularFile))
        {
            await using var stream = await entry.OpenContent!(TestContext.Current.CancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            LastContents[entry.Path] = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        }

        return entries;
    }

    public string? LastDigest { get; private set; }

    public Dictionary<string, string> LastContents { get; private set; } = [];

    public void Dispose() => temp.Dispose();
}
