using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>A store with busybox:test, a context directory, and helpers to build and read back images.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class BuildFixture : IDisposable
{
    private readonly TempDirectory root = new("dockerbuild-engine-");

    private BuildFixture(ImageStore store)
    {
        Store = store;
    }

    public ImageStore Store { get; }

    public List<BuildEvent> Events { get; } = [];

    public string Context => root.Combine("context");

    public int LastRunCount { get; private set; }

    /// <summary>How RUN roots are made (overlay, copy, or overlay falling back to copy).</summary>
    public Dockerbuild.Engine.Runtime.SnapshotKind Snapshots { get; set; } = Dockerbuild.Engine.Runtime.SnapshotKind.Auto;

    /// <summary>Where FROM pulls bases missing from <see cref="Store"/>; none by default.</summary>
    public Oci.Registry.RegistryClient? Registry { get; set; }

    /// <summary>Where RUN for a foreign platform looks for emulators; the kernel's by default.</summary>
    public string? BinfmtDirectory { get; set; }

    /// <param name="withBusybox">Put busybox:test in the store (false: an empty store, for pulls).</param>
    public static async Task<BuildFixture> CreateAsync(bool withBusybox = true)
    {
        Require.Executable("runc", "runc");
        var temp = new TempDirectory("dockerbuild-engine-store-");
        var fixture = new BuildFixture(new ImageStore(new BlobStore(temp.Combine("store"))));
        fixture.disposeAlso = temp;
        Directory.CreateDirectory(fixture.Context);
        if (withBusybox)
        {
            await BusyboxImage.AddAsync(fixture.Store, temp.Path);
        }

        return fixture;
    }

    private TempDirectory? disposeAlso;

    public async Task<BuildResult> BuildAsync(string dockerfile, Func<BuildRequest, BuildRequest>? configure = null)
    {
        await File.WriteAllTextAsync(Path.Combine(Context, "Dockerfile"), dockerfile);
        var request = new BuildRequest { ContextDirectory = Context };
        request = configure?.Invoke(request) ?? request;
        var builder = new ImageBuilder(Store, new BuildEngineOptions { Progress = new SyncProgress(Events), Registry = Registry, Snapshots = Snapshots, BinfmtDirectory = BinfmtDirectory ?? Dockerbuild.Engine.Planning.Emulators.BinfmtDirectory });
        try
        {
            return await builder.BuildAsync(request, CancellationToken.None);
        }
        finally
        {
            LastRunCount = builder.LastRunCount;
        }
    }

    /// <summary>Extracts every layer of the image in order into a fresh directory.</summary>
    public async Task<string> ExtractAsync(BuildResult result)
    {
        var target = root.Combine("extract-" + Guid.NewGuid().ToString("N"));
        var manifest = await Store.Blobs.ReadJsonAsync<ImageManifest>(result.ManifestDigest, CancellationToken.None);
        foreach (var layer in manifest.Value.Layers)
        {
            await using var blob = await Store.Blobs.OpenBlobAsync(layer.Digest, CancellationToken.None);
            await LayerExtractor.ExtractAsync(blob, target, new LayerExtractOptions(), CancellationToken.None);
        }

        return target;
    }

    public async Task<IReadOnlyList<string>> LayerPathsAsync(Descriptor layer)
    {
        var dir = root.Combine("layer-" + Guid.NewGuid().ToString("N"));
        await using var blob = await Store.Blobs.OpenBlobAsync(layer.Digest, CancellationToken.None);
        await LayerExtractor.ExtractAsync(blob, dir, new LayerExtractOptions(), CancellationToken.None);
        return [.. Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(dir, p))];
    }

    public void Dispose()
    {
        root.Dispose();
        disposeAlso?.Dispose();
    }

    private sealed class SyncProgress(List<BuildEvent> events) : IProgress<BuildEvent>
    {
        public void Report(BuildEvent value)
        {
            lock (events)
            {
                events.Add(value);
            }
        }
    }
}
