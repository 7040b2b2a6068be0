using System.Text;
using Dockerbuild.Oci.Json;

namespace Dockerbuild.Oci.Tests.Model;

// Documents in the exact compact form Go's encoding/json writes them for the OCI and moby types
// (field order of the Go structs, omitempty rules, sorted maps, nanosecond durations). Timestamps
// keep 100 ns precision here, so the samples stop at 7 fractional digits; exact bytes live in RawJson.
public sealed class JsonRoundTripTests
{
    private const string D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private const string D3 = "sha256:3333333333333333333333333333333333333333333333333333333333333333";

    private const string Config =
        "{\"created\":\"2024-03-01T12:30:45.1234567Z\",\"author\":\"me\",\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"," +
        "\"config\":{\"User\":\"app\",\"ExposedPorts\":{\"443/tcp\":{},\"80/tcp\":{}},\"Env\":[\"PATH=/usr/bin\",\"A=b\"]," +
        "\"Entrypoint\":[\"/bin/sh\",\"-c\"],\"Cmd\":[\"echo hi\"],\"Volumes\":{\"/data\":{}},\"WorkingDir\":\"/app\"," +
        "\"Labels\":{\"a\":\"1\",\"b\":\"<2>\"},\"StopSignal\":\"SIGTERM\",\"ArgsEscaped\":true," +
        "\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f localhost\"],\"Interval\":30000000000,\"Timeout\":5000000000,\"StartPeriod\":1000000000,\"StartInterval\":2000000000,\"Retries\":3}," +
        "\"OnBuild\":[\"RUN make\"],\"Shell\":[\"/bin/bash\",\"-c\"]}," +
        "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + D1 + "\",\"" + D2 + "\"]}," +
        "\"history\":[{\"created\":\"2024-03-01T12:30:45Z\",\"created_by\":\"ADD rootfs.tar /\",\"comment\":\"buildkit.dockerfile.v0\"}," +
        "{\"created\":\"2024-03-01T12:30:45Z\",\"created_by\":\"ENV A=b\",\"empty_layer\":true}]}";

    private const string Manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
        "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + D1 + "\",\"size\":1234}," +
        "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + D2 + "\",\"size\":99,\"annotations\":{\"x\":\"y\"}}]," +
        "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D3 + "\",\"size\":5}," +
        "\"annotations\":{\"org.opencontainers.image.created\":\"2024-03-01T12:30:45Z\"}}";

    private const string Index =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\",\"manifests\":[" +
        "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"digest\":\"" + D1 + "\",\"size\":528,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}," +
        "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"digest\":\"" + D2 + "\",\"size\":528,\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}}," +
        "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"digest\":\"" + D3 + "\",\"size\":528,\"platform\":{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.17763.1\",\"os.features\":[\"win32k\"]}}]}";

    [Theory]
    [InlineData(Config)]
    public void ConfigRoundTripsToTheSameBytes(string json) => AssertRoundTrip<ImageConfig>(json);

    [Theory]
    [InlineData(Manifest)]
    public void ManifestRoundTripsToTheSameBytes(string json) => AssertRoundTrip<ImageManifest>(json);

    [Theory]
    [InlineData(Index)]
    public void IndexRoundTripsToTheSameBytes(string json) => AssertRoundTrip<ImageIndex>(json);

    [Fact]
    public void ConfigFieldsAreRead()
    {
        var config = OciJson.Deserialize<ImageConfig>(Encoding.UTF8.GetBytes(Config));

        Assert.Equal(new DateTimeOffset(2024, 3, 1, 12, 30, 45, TimeSpan.Zero).AddTicks(1234567), config.Created);
        Assert.Equal(["443/tcp", "80/tcp"], config.Config.ExposedPorts!);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Config.Healthcheck!.Interval);
        Assert.Equal(3, config.Config.Healthcheck.Retries);
        Assert.Equal("<2>", config.Config.Labels!["b"]);
        Assert.True(config.History![1].EmptyLayer);
        Assert.Equal(D2, config.RootFs.DiffIds[1].ToString());
        Assert.Equal("linux/arm64/v8", config.Platform.ToString());
    }

    [Fact]
    public void GoNanosecondTimestampsAreRead()
    {
        var history = OciJson.Deserialize<ImageConfig>("{\"history\":[{\"created\":\"2024-03-01T12:30:45.123456789+02:00\"}]}"u8).History!;

        Assert.Equal(new DateTimeOffset(2024, 3, 1, 12, 30, 45, TimeSpan.FromHours(2)).AddTicks(1234567), history[0].Created);
    }

    [Fact]
    public void EmptyFieldsAreOmittedButRequiredOnesWritten()
    {
        var config = new ImageConfig { Architecture = "amd64", Os = "linux", Config = new ContainerConfig { Env = [], Labels = new Dictionary<string, string>() } };

        var json = Encoding.UTF8.GetString(OciJson.Serialize(config));

        Assert.Equal("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", json);
        Assert.Equal(
            "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"m\",\"digest\":\"" + D1 + "\",\"size\":0},\"layers\":[]}",
            Encoding.UTF8.GetString(OciJson.Serialize(new ImageManifest(new Descriptor("m", Digest.Parse(D1), 0), []))));
    }

    [Fact]
    public void UnknownConfigFieldsSurviveAChange()
    {
        var json = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"container_config\":{\"Hostname\":\"abc\"},\"docker_version\":\"24.0.7\"}";

        var changed = OciJson.Deserialize<ImageConfig>(Encoding.UTF8.GetBytes(json)) with { Author = "x" };
        var written = Encoding.UTF8.GetString(OciJson.Serialize(changed));

        Assert.Contains("\"container_config\":{\"Hostname\":\"abc\"}", written, StringComparison.Ordinal);
        Assert.Contains("\"docker_version\":\"24.0.7\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingLayersReturnsNewDocumentsAndLeavesTheOriginals()
    {
        var config = new ImageConfig { Architecture = "amd64", Os = "linux" };
        var manifest = new ImageManifest(new Descriptor(MediaTypes.OciConfig, Digest.Parse(D1), 1), []);

        var changed = config.WithLayer(Digest.Parse(D2), new History { CreatedBy = "COPY . /" }).WithEmptyLayerHistory(new History { CreatedBy = "ENV A=1" });
        var grown = manifest.WithLayer(new Descriptor(MediaTypes.OciLayerGzip, Digest.Parse(D3), 9));

        Assert.Empty(config.RootFs.DiffIds);
        Assert.Null(config.History);
        Assert.Equal([Digest.Parse(D2)], changed.RootFs.DiffIds);
        Assert.Equal([false, true], changed.History!.Select(step => step.EmptyLayer));
        Assert.Empty(manifest.Layers);
        Assert.Equal(Digest.Parse(D3), Assert.Single(grown.Layers).Digest);
    }

    [Fact]
    public void MapsAreWrittenSortedSoCreationIsDeterministic()
    {
        var labels = new Dictionary<string, string> { ["z"] = "1", ["a"] = "2", ["B"] = "3" };
        var json = Encoding.UTF8.GetString(OciJson.Serialize(new ImageConfig { Config = new ContainerConfig { Labels = labels } }));

        Assert.Contains("\"Labels\":{\"B\":\"3\",\"a\":\"2\",\"z\":\"1\"}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void RawJsonKeepsTheExactBytesAndDigestsThem()
    {
        var pretty = "{\n   \"schemaVersion\": 2,\n   \"manifests\": []\n}\n"u8.ToArray();

        var raw = RawJson<ImageIndex>.Parse(pretty);

        Assert.Equal(pretty, raw.Bytes.ToArray());
        Assert.Equal(Digest.Compute(pretty), raw.Digest);
        Assert.Equal(pretty.Length, raw.Size);
        Assert.Empty(raw.Value.Manifests);
        Assert.Equal(raw.Digest, raw.ToDescriptor(MediaTypes.OciIndex).Digest);
    }

    [Fact]
    public void RawJsonCreateIsCanonical()
    {
        var manifest = new ImageManifest(new Descriptor(MediaTypes.OciConfig, Digest.Parse(D1), 2), []) { MediaType = MediaTypes.OciManifest };

        var a = RawJson<ImageManifest>.Create(manifest);
        var b = RawJson<ImageManifest>.Create(RawJson<ImageManifest>.Parse(a.Bytes.Span).Value);

        Assert.Equal(a.Digest, b.Digest);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\"}", MediaTypes.DockerManifest)]
    [InlineData("{\"schemaVersion\":2,\"manifests\":[]}", MediaTypes.OciIndex)]
    [InlineData("{\"schemaVersion\":2,\"config\":{},\"layers\":[]}", MediaTypes.OciManifest)]
    [InlineData("{\"schemaVersion\":1}", null)]
    [InlineData("{\"architecture\":\"amd64\",\"config\":{},\"rootfs\":{}}", null)]
    [InlineData("not json", null)]
    public void DetectsTheMediaTypeOfAManifestLikeDocument(string json, string? mediaType) =>
        Assert.Equal(mediaType, OciJson.DetectMediaType(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void MalformedDocumentsGiveATypedError()
    {
        Assert.Throws<OciFormatException>(() => OciJson.Deserialize<ImageManifest>("{\"config\":{\"digest\":\"md5:x\"}}"u8));
        Assert.Throws<OciFormatException>(() => OciJson.Deserialize<ImageManifest>("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"m\",\"digest\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\",\"size\":1}}"u8));
        Assert.Throws<OciFormatException>(() => OciJson.Deserialize<ImageManifest>("{\"schemaVersion\":2,\"config\":null,\"layers\":[]}"u8));
    }

    [Fact]
    public void GoNilSlicesAndNullObjectsReadAsEmpty()
    {
        var config = OciJson.Deserialize<ImageConfig>("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":null,\"Cmd\":null,\"Volumes\":null,\"Labels\":null,\"OnBuild\":null,\"Healthcheck\":null},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":null},\"history\":null}"u8);

        Assert.Empty(config.RootFs.DiffIds);
        Assert.Null(config.Config.Env);
        Assert.Empty(OciJson.Deserialize<ImageIndex>("{\"schemaVersion\":2,\"manifests\":null}"u8).Manifests);
        Assert.Empty(OciJson.Deserialize<ImageManifest>("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"m\",\"digest\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\",\"size\":1},\"layers\":null}"u8).Layers);
        var sparse = OciJson.Deserialize<ImageConfig>("{\"config\":null,\"rootfs\":null,\"architecture\":null}"u8);
        Assert.NotNull(sparse.Config);
        Assert.Equal("layers", sparse.RootFs.Type);
        Assert.Equal("", sparse.Architecture);
    }

    private static void AssertRoundTrip<T>(string json)
        where T : class
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var parsed = OciJson.Deserialize<T>(bytes);
        Assert.Equal(json, Encoding.UTF8.GetString(OciJson.Serialize(parsed)));
    }
}
