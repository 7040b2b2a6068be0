using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Dockerbuild.Oci.Archive;
using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Layout;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests.Archive;

public sealed class DockerArchiveTests : StoreFixture
{
    [Fact]
    public async Task TheArchiveHasDockerSavesFilesAndManifest()
    {
        var image = TestImage.Create("files");
        await image.WriteToAsync(Store);
        var path = await SaveAsync(image, "app:v1", "localhost:5000/team/app:v2");

        var entries = await ReadEntriesAsync(path);

        var config = image.Config.Digest.Hex;
        var diffIds = image.Layers.Select(layer => layer.DiffId.Hex).ToList();
        Assert.Equal(
            ["blobs/", "blobs/sha256/", .. entries.Keys.Where(name => name.StartsWith("blobs/sha256/", StringComparison.Ordinal) && name.Length > 13), "index.json", "manifest.json", "oci-layout", "repositories"],
            entries.Keys);
        Assert.Equal(
            $"[{{\"Config\":\"blobs/sha256/{config}\",\"RepoTags\":[\"app:v1\",\"localhost:5000/team/app:v2\"],\"Layers\":[\"blobs/sha256/{diffIds[0]}\",\"blobs/sha256/{diffIds[1]}\"]}}]\n",
            entries["manifest.json"]);
        Assert.Equal($"{{\"app\":{{\"v1\":\"{diffIds[1]}\"}},\"localhost:5000/team/app\":{{\"v2\":\"{diffIds[1]}\"}}}}\n", entries["repositories"]);
        Assert.Contains("blobs/sha256/" + diffIds[0], entries.Keys);
        Assert.Equal(image.Config.Bytes.ToArray(), Encoding.UTF8.GetBytes(entries["blobs/sha256/" + config]));

        var index = OciJson.Deserialize<ImageIndex>(Encoding.UTF8.GetBytes(entries["index.json"]));
        Assert.Equal(["v1", "v2"], index.Manifests.Select(entry => entry.Annotation(Annotations.RefName)));
        Assert.Equal("docker.io/library/app:v1", index.Manifests[0].Annotation(Annotations.ImageName));
        var manifest = OciJson.Deserialize<ImageManifest>(Encoding.UTF8.GetBytes(entries["blobs/sha256/" + index.Manifests[0].Digest.Hex]));
        Assert.Equal(image.Layers.Select(layer => layer.DiffId), manifest.Layers.Select(layer => layer.Digest));
        Assert.All(manifest.Layers, layer => Assert.Equal(MediaTypes.OciLayer, layer.MediaType));
    }

    [Fact]
    public async Task SkopeoReadsTheArchive()
    {
        var skopeo = Require.Executable("skopeo", "skopeo");
        var image = TestImage.Create("skopeo");
        await image.WriteToAsync(Store);
        var path = await SaveAsync(image, "app:v1");

        var config = await ExternalTool.OutputAsync(skopeo, "inspect", "--config", "--raw", $"docker-archive:{path}:app:v1");
        Assert.Equal(image.Config.Bytes.ToArray(), Encoding.UTF8.GetBytes(config));
        using var inspect = JsonDocument.Parse(await ExternalTool.OutputAsync(skopeo, "inspect", $"docker-archive:{path}"));
        Assert.Equal(image.Layers.Select(layer => layer.DiffId.ToString()), inspect.RootElement.GetProperty("Layers").EnumerateArray().Select(layer => layer.GetString()));

        var copied = Temp.Combine("copied");
        await ExternalTool.OutputAsync(skopeo, "copy", "--quiet", $"docker-archive:{path}:app:v1", $"oci:{copied}:v1");
        var layout = await OciLayout.OpenAsync(copied, Token);
        var manifest = OciJson.Deserialize<ImageManifest>(await ImageTree.ReadDocumentAsync(layout, layout.FindByRefName("v1")!.Digest, Token));
        Assert.Equal(image.Config.Digest, manifest.Config.Digest);
    }

    [Fact]
    public async Task WhatWeSaveLoadsBackWithTheSameImage()
    {
        var image = TestImage.Create("roundtrip");
        await image.WriteToAsync(Store);
        var path = await SaveAsync(image, "app:v1");
        var target = new BlobStore(Temp.Combine("target"));

        await using var input = File.OpenRead(path);
        var loaded = Assert.Single(await DockerArchive.LoadAsync(input, target, Token));

        Assert.Equal(["docker.io/library/app:v1"], loaded.Names.Select(name => name.ToString()));
        var manifest = await target.ReadJsonAsync<ImageManifest>(loaded.Manifest.Digest, Token);
        Assert.Equal(image.Config.Digest, manifest.Value.Config.Digest);
        var entries = await ReadEntriesAsync(path);
        var archivedIndex = OciJson.Deserialize<ImageIndex>(Encoding.UTF8.GetBytes(entries["index.json"]));
        Assert.Equal(archivedIndex.Manifests[0].Digest, loaded.Manifest.Digest);
        Assert.All(manifest.Value.Layers, layer => Assert.True(target.Contains(layer.Digest)));
    }

    [Fact]
    public async Task AGzipArchiveIsLoadedFromAStreamThatCannotSeek()
    {
        var image = TestImage.Create("gzip");
        await image.WriteToAsync(Store);
        var path = await SaveAsync(image, "app:gz");
        var gzipped = TestImage.Gzip(await File.ReadAllBytesAsync(path, Token));

        var loaded = await DockerArchive.LoadAsync(new ForwardOnlyStream(gzipped), new BlobStore(Temp.Combine("target")), Token);

        Assert.Equal("docker.io/library/app:gz", Assert.Single(Assert.Single(loaded).Names).ToString());
    }

    [Fact]
    public async Task AnArchiveSkopeoWroteIsLoaded()
    {
        var skopeo = Require.Executable("skopeo", "skopeo");
        var image = TestImage.Create("from-skopeo");
        await image.WriteToAsync(Store);
        var layoutDir = Temp.Combine("layout");
        await OciLayout.WriteAsync(layoutDir, Store, [new NamedImage(image.ManifestDescriptor, [ImageReference.Parse("app:src")])], Token);
        var archive = Temp.Combine("skopeo.tar");
        await ExternalTool.OutputAsync(skopeo, "copy", "--quiet", $"oci:{layoutDir}:src", $"docker-archive:{archive}:example.com/app:from-skopeo");

        await using var input = File.OpenRead(archive);
        var loaded = Assert.Single(await DockerArchive.LoadAsync(input, new BlobStore(Temp.Combine("target")), Token));

        Assert.Equal("example.com/app:from-skopeo", Assert.Single(loaded.Names).ToString());
        var target = new BlobStore(Temp.Combine("target"));
        var manifest = await target.ReadJsonAsync<ImageManifest>(loaded.Manifest.Digest, Token);
        Assert.Equal(image.Config.Digest, manifest.Value.Config.Digest);
    }

    [Fact]
    public async Task TheLegacyLayoutWithLinkedLayersIsLoaded()
    {
        var tar = TestImage.Tar(new Dictionary<string, string> { ["etc/hello"] = "hi\n" });
        var diffId = Digest.Compute(tar);
        var config = RawJson<ImageConfig>.Create(new ImageConfig { Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [diffId, diffId] } });
        var archive = BuildTar(writer =>
        {
            AddFile(writer, "aaaa/layer.tar", tar);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bbbb/layer.tar") { LinkName = "../aaaa/layer.tar" });
            AddFile(writer, config.Digest.Hex + ".json", config.Bytes.ToArray());
            AddFile(writer, "manifest.json", Encoding.UTF8.GetBytes($"[{{\"Config\":\"{config.Digest.Hex}.json\",\"RepoTags\":[\"legacy:1\"],\"Layers\":[\"aaaa/layer.tar\",\"bbbb/layer.tar\"]}}]"));
        });

        var loaded = Assert.Single(await DockerArchive.LoadAsync(new MemoryStream(archive), Store, Token));

        var manifest = await Store.ReadJsonAsync<ImageManifest>(loaded.Manifest.Digest, Token);
        Assert.Equal([diffId, diffId], manifest.Value.Layers.Select(layer => layer.Digest));
        Assert.Equal(config.Digest, manifest.Value.Config.Digest);
        Assert.Equal("docker.io/library/legacy:1", Assert.Single(loaded.Names).ToString());
    }

    [Fact]
    public async Task CompressedLayersAndAZstdArchiveAreLoaded()
    {
        var tar = TestImage.Tar(new Dictionary<string, string> { ["etc/zipped"] = "z\n" });
        var gzipLayer = TestImage.Gzip(tar);
        var config = RawJson<ImageConfig>.Create(new ImageConfig { Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [Digest.Compute(tar)] } });
        var archive = BuildTar(writer =>
        {
            AddFile(writer, "layer.tar.gz", gzipLayer);
            AddFile(writer, "config.json", config.Bytes.ToArray());
            AddFile(writer, "manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"zipped:1\"],\"Layers\":[\"layer.tar.gz\"]}]"u8.ToArray());
        });
        using var compressor = new ZstdSharp.Compressor();

        var loaded = Assert.Single(await DockerArchive.LoadAsync(new ForwardOnlyStream(compressor.Wrap(archive).ToArray()), Store, Token));

        var layer = Assert.Single((await Store.ReadJsonAsync<ImageManifest>(loaded.Manifest.Digest, Token)).Value.Layers);
        Assert.Equal(MediaTypes.OciLayerGzip, layer.MediaType);
        Assert.Equal(Digest.Compute(gzipLayer), layer.Digest);
    }

    [Fact]
    public async Task AnArchiveIsWrittenToAStreamThatCannotSeek()
    {
        var image = TestImage.Create("pipe");
        await image.WriteToAsync(Store);
        var sink = new MemoryStream();

        await DockerArchive.WriteAsync(new WriteOnlyStream(sink), Store, [new NamedImage(image.ManifestDescriptor, [ImageReference.Parse("pipe:1")])], Token);

        var loaded = Assert.Single(await DockerArchive.LoadAsync(new MemoryStream(sink.ToArray()), new BlobStore(Temp.Combine("target")), Token));
        Assert.Equal("docker.io/library/pipe:1", Assert.Single(loaded.Names).ToString());
    }

    [Fact]
    public async Task SavingAMultiPlatformIndexSavesTheImageForThisPlatform()
    {
        var here = TestImage.Create("here", architecture: Platform.Current.Architecture);
        var other = TestImage.Create("other", architecture: "s390x");
        await here.WriteToAsync(Store);
        var index = RawJson<ImageIndex>.Create(new ImageIndex(
        [
            other.ManifestDescriptor with { Platform = new Platform("linux", "s390x") },
            here.ManifestDescriptor with { Platform = Platform.Current },
        ]));
        var indexDescriptor = await Store.WriteAsync(index, MediaTypes.OciIndex, Token);
        var path = Temp.Combine("multi.tar");
        await using (var output = File.Create(path))
        {
            await DockerArchive.WriteAsync(output, Store, [new NamedImage(indexDescriptor, [ImageReference.Parse("multi:1")])], Token);
        }

        var entries = await ReadEntriesAsync(path);

        Assert.Equal($"[{{\"Config\":\"blobs/sha256/{here.Config.Digest.Hex}\",\"RepoTags\":[\"multi:1\"],\"Layers\":[{string.Join(',', here.Layers.Select(layer => $"\"blobs/sha256/{layer.DiffId.Hex}\""))}]}}]\n", entries["manifest.json"]);
    }

    [Fact]
    public async Task ALayerThatIsNotWhatTheConfigSaysIsRefused()
    {
        var tar = TestImage.Tar(new Dictionary<string, string> { ["a"] = "a" });
        var config = RawJson<ImageConfig>.Create(new ImageConfig { Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [Digest.Compute("other"u8)] } });
        var archive = BuildTar(writer =>
        {
            AddFile(writer, "l/layer.tar", TestImage.Gzip(tar));
            AddFile(writer, "c.json", config.Bytes.ToArray());
            AddFile(writer, "manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[\"l/layer.tar\"]}]"u8.ToArray());
        });

        await Assert.ThrowsAsync<DigestMismatchException>(() => DockerArchive.LoadAsync(new MemoryStream(archive), Store, Token));
        Assert.Empty(Store.List());
    }

    [Fact]
    public async Task EntriesThatEscapeTheArchiveAreRefused()
    {
        var archive = BuildTar(writer => AddFile(writer, "../evil", "x"u8.ToArray()));

        var error = await Assert.ThrowsAsync<OciFormatException>(() => DockerArchive.LoadAsync(new MemoryStream(archive), Store, Token));
        Assert.Contains("outside", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomethingThatIsNotAnImageArchiveIsATypedError()
    {
        var archive = BuildTar(writer => AddFile(writer, "readme", "x"u8.ToArray()));

        await Assert.ThrowsAsync<OciFormatException>(() => DockerArchive.LoadAsync(new MemoryStream(archive), Store, Token));
    }

    private async Task<string> SaveAsync(TestImage image, params string[] names)
    {
        var path = Temp.Combine(Guid.NewGuid().ToString("N") + ".tar");
        await using (var output = File.Create(path))
        {
            await DockerArchive.WriteAsync(output, Store, [new NamedImage(image.ManifestDescriptor, [.. names.Select(ImageReference.Parse)])], Token);
        }

        return path;
    }

    private static async Task<Dictionary<string, string>> ReadEntriesAsync(string path)
    {
        var entries = new Dictionary<string, string>();
        await using var file = File.OpenRead(path);
        await using var reader = new TarReader(file);
        while (await reader.GetNextEntryAsync(cancellationToken: Token) is { } entry)
        {
            entries[entry.Name] = entry.DataStream is null ? "" : await new StreamReader(entry.DataStream, Encoding.Latin1).ReadToEndAsync(Token);
        }

        return entries;
    }

    private static byte[] BuildTar(Action<TarWriter> build)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            build(writer);
        }

        return buffer.ToArray();
    }

    private static void AddFile(TarWriter writer, string name, byte[] content) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });

    private sealed class WriteOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }

    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
