using System.Formats.Tar;
using System.Text.Json.Nodes;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// An independent check against buildah 1.28 (`buildah bud --layers`): the same Dockerfiles built by
/// both from the same busybox base, then each layer's entries (paths, types, modes, owners, symlink
/// targets, whiteouts), the config fields and the history compared. BuildKit is the reference: where
/// buildah 1.28 differs from BuildKit's documented behaviour, the test asserts BuildKit's and says so.
/// Known differences: buildah leaves mount stubs in RUN layers (/etc/hosts, /etc/hostname,
/// /etc/resolv.conf, /run), and its WORKDIR makes no layer of its own (BuildKit's mkdir does).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildahComparisonTests(BuildahPeer peer) : IClassFixture<BuildahPeer>
{
    /// <summary>What buildah 1.28 leaves behind from a RUN and BuildKit never does (its MountStubsCleaner).</summary>
    private static readonly HashSet<string> BuildahRunStubs = ["etc/hosts", "etc/hostname", "etc/resolv.conf", "run", "run/.containerenv"];

    [Fact]
    public async Task CopyWithChownChmodSymlinksAndDirectoriesAndWorkdirCreationAgree()
    {
        var context = NewContext();
        Write(context, "files/a.txt", "a", 0b110_100_100);
        Write(context, "files/nested/b.txt", "bb", 0b110_000_000);
        Write(context, "files/run.sh", "#!/bin/sh\n", 0b111_101_101);
        File.SetUnixFileMode(Path.Combine(context, "files", "nested"), (UnixFileMode)0b111_101_000);
        Write(context, "one.txt", "one", 0b110_100_100);
        Write(context, "tool.sh", "#!/bin/sh\n", 0b111_101_101);
        Write(context, "links/sub/x", "x", 0b110_100_100);
        File.CreateSymbolicLink(Path.Combine(context, "links", "rel"), "sub/x");
        File.CreateSymbolicLink(Path.Combine(context, "links", "abs"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(context, "links", "dir"), "sub");

        var (ours, buildah) = await peer.BuildBothAsync($"""
            FROM {BuildahPeer.Base}
            COPY --chown=builder:staff files/ /app/
            COPY --chmod=640 one.txt /app/one-640.txt
            COPY --chown=1234:5678 tool.sh /usr/local/bin/
            COPY links/ /links/
            COPY one.txt dir-dest/
            WORKDIR /work/sub
            COPY one.txt rel.txt
            """);

        // BuildKit: a layer per COPY and one for WORKDIR's mkdir; buildah has no WORKDIR layer.
        Assert.Equal(8, ours.Layers.Count);
        Assert.Equal(7, buildah.Layers.Count);
        Assert.Equal(["work Directory 755 0:0", "work/sub Directory 755 0:0"], Listing(ours.Layers[6]));
        int[] sameLayers = [1, 2, 3, 4, 5];
        foreach (var i in sameLayers)
        {
            Assert.Equal(Listing(buildah.Layers[i]), Listing(ours.Layers[i]));
        }

        // The directory source's contents under --chown (names through the image's passwd and group),
        // and the symlinks as symlinks, targets unchanged.
        Assert.Contains("app/nested/b.txt RegularFile 600 1000:50 (2)", Listing(ours.Layers[1]));
        Assert.Contains("app/nested Directory 750 1000:50", Listing(ours.Layers[1]));
        Assert.Equal(["app/one-640.txt RegularFile 640 0:0 (3)"], Listing(ours.Layers[2]).Where(l => !l.StartsWith("app ", StringComparison.Ordinal)));
        Assert.Contains("links/abs SymbolicLink 777 0:0 -> /etc/passwd", Listing(ours.Layers[4]));
        Assert.Equal(Listing(buildah.Layers[6]).Where(l => !l.StartsWith("work", StringComparison.Ordinal) || l.Contains("rel.txt", StringComparison.Ordinal)), Listing(ours.Layers[7]).Where(l => !l.StartsWith("work ", StringComparison.Ordinal) && !l.StartsWith("work/sub ", StringComparison.Ordinal)));
        Assert.Contains("work/sub/rel.txt RegularFile 644 0:0 (3)", Listing(ours.Layers[7]));

        Assert.Equal((string?)buildah.ContainerConfig["WorkingDir"], (string?)ours.ContainerConfig["WorkingDir"]);
        Assert.Equal(buildah.History.Count, ours.History.Count);
        Assert.Equal(
            EmptyLayerFlags(buildah).Select((empty, i) => i == 6 ? false : empty), // buildah's WORKDIR is empty_layer
            EmptyLayerFlags(ours));
    }

    [Fact]
    public async Task ConfigInstructionsAndARunThatDeletesABaseFileAgree()
    {
        NewContext();

        var (ours, buildah) = await peer.BuildBothAsync($"""
            FROM {BuildahPeer.Base}
            ENV APP=/app PATH=/app/bin:$PATH
            LABEL org.example.a=1 "org.example.b"="two words"
            EXPOSE 8080 53/udp
            RUN mkdir -p /app/bin && echo hi > /app/bin/hello && chmod 750 /app/bin/hello && ln -s hello /app/bin/hi \
                && chown 1000:50 /app/bin/hello && rm /etc/group && mkdir /tmp/scratch && rm -r /tmp/scratch
            VOLUME /data
            USER builder
            STOPSIGNAL SIGINT
            HEALTHCHECK --interval=30s --timeout=5s --retries=2 CMD ["/bin/true"]
            ENTRYPOINT ["/app/bin/hello"]
            CMD ["--flag"]
            """);

        Assert.Equal(2, ours.Layers.Count);
        Assert.Equal(2, buildah.Layers.Count);
        var run = Listing(ours.Layers[1]);
        Assert.Equal(WithoutBuildahStubs(Listing(buildah.Layers[1])), run);
        Assert.Equal(
            ["app Directory 755 0:0", "app/bin Directory 755 0:0", "app/bin/hello RegularFile 750 1000:50 (3)", "app/bin/hi SymbolicLink 777 0:0 -> hello",
             "etc Directory 755 0:0", "etc/.wh.group RegularFile 0 0:0 (0)"],
            run);

        // BuildKit's addEnv replaces a variable where it stands (PATH stays first, as in the base);
        // buildah 1.28 moves it after the ones set beside it.
        Assert.Equal(["PATH=/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP=/app"], ours.ContainerConfig["Env"]!.AsArray().Select(v => (string?)v));
        Assert.Equal(buildah.ContainerConfig["Env"]!.AsArray().Select(v => (string?)v).Order(), ours.ContainerConfig["Env"]!.AsArray().Select(v => (string?)v).Order());
        Assert.True(JsonNode.DeepEquals((await peer.LastDockerConfigAsync())["Healthcheck"], ours.ContainerConfig["Healthcheck"]), ours.ContainerConfig["Healthcheck"]?.ToJsonString());
        Assert.Equal("""{"Test":["CMD","/bin/true"],"Interval":30000000000,"Timeout":5000000000,"Retries":2}""", ours.ContainerConfig["Healthcheck"]!.ToJsonString());
        foreach (var field in (string[])["ExposedPorts", "Volumes", "User", "StopSignal", "Entrypoint", "Cmd"])
        {
            Assert.True(JsonNode.DeepEquals(buildah.ContainerConfig[field], ours.ContainerConfig[field]), $"{field}: buildah {buildah.ContainerConfig[field]?.ToJsonString()}, ours {ours.ContainerConfig[field]?.ToJsonString()}");
        }

        var labels = buildah.ContainerConfig["Labels"]!.AsObject().Where(l => l.Key != "io.buildah.version").ToDictionary(l => l.Key, l => (string?)l.Value);
        Assert.Equal(labels, ours.ContainerConfig["Labels"]!.AsObject().ToDictionary(l => l.Key, l => (string?)l.Value));
        Assert.Equal(buildah.History.Count, ours.History.Count);
        Assert.Equal(EmptyLayerFlags(buildah), EmptyLayerFlags(ours));
    }

    [Fact]
    public async Task CopyFromAStageAddOfATarAndEntrypointResettingCmdAgree()
    {
        var context = NewContext();
        await using (var archive = File.Create(Path.Combine(context, "archive.tar")))
        await using (var tar = new TarWriter(archive, TarEntryFormat.Pax))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "pkg/") { Mode = (UnixFileMode)0b111_101_101, Uid = 33, Gid = 33 }, TestContext.Current.CancellationToken);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "pkg/data") { Mode = (UnixFileMode)0b110_100_000, Uid = 33, Gid = 34, DataStream = new MemoryStream("data"u8.ToArray()) }, TestContext.Current.CancellationToken);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "pkg/link") { LinkName = "data" }, TestContext.Current.CancellationToken);
        }

        var (ours, buildah) = await peer.BuildBothAsync($"""
            FROM {BuildahPeer.Base} AS build
            RUN mkdir -p /out/d && echo x > /out/d/f && ln -s d/f /out/l && chown -R 1000:1000 /out/d
            FROM {BuildahPeer.Base}
            ADD archive.tar /unpacked/
            COPY --from=build /out/ /copied/
            ENTRYPOINT ["/bin/echo"]
            """);

        Assert.Equal(3, ours.Layers.Count);
        Assert.Equal(3, buildah.Layers.Count);
        Assert.Equal(Listing(buildah.Layers[1]), Listing(ours.Layers[1]));
        Assert.Contains("unpacked/pkg/data RegularFile 640 33:34 (4)", Listing(ours.Layers[1]));
        Assert.Contains("unpacked/pkg/link SymbolicLink 777 0:0 -> data", Listing(ours.Layers[1])); // written 0644 in the archive

        // BuildKit keeps the owners of files copied from a stage (only the context is 0:0); buildah
        // 1.28 agrees if this holds for both.
        Assert.Equal(Listing(buildah.Layers[2]), Listing(ours.Layers[2]));
        Assert.Contains("copied/d/f RegularFile 644 1000:1000 (2)", Listing(ours.Layers[2]));
        Assert.Contains("copied/l SymbolicLink 777 0:0 -> d/f", Listing(ours.Layers[2]));

        // ENTRYPOINT resets the CMD inherited from the base.
        Assert.Null(ours.ContainerConfig["Cmd"]);
        Assert.True(JsonNode.DeepEquals(buildah.ContainerConfig["Cmd"], ours.ContainerConfig["Cmd"]));
        Assert.True(JsonNode.DeepEquals(buildah.ContainerConfig["Entrypoint"], ours.ContainerConfig["Entrypoint"]));
        Assert.Equal(buildah.History.Count, ours.History.Count);
        Assert.Equal(EmptyLayerFlags(buildah), EmptyLayerFlags(ours));
    }

    private string NewContext()
    {
        var context = peer.Ours.Context;
        if (Directory.Exists(context))
        {
            Directory.Delete(context, recursive: true);
        }

        Directory.CreateDirectory(context);
        return context;
    }

    private static void Write(string context, string path, string content, int mode)
    {
        var full = Path.Combine(context, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        File.SetUnixFileMode(full, (UnixFileMode)mode);
    }

    private static List<string> Listing(IReadOnlyList<LayoutEntry> layer) =>
        [.. layer.Select(e => e.ToString()).Order(StringComparer.Ordinal)];

    /// <summary>A buildah RUN layer without its mount stubs (and without /etc when only stubs put it there).</summary>
    private static List<string> WithoutBuildahStubs(List<string> listing)
    {
        var kept = listing.Where(l => !BuildahRunStubs.Contains(l[..l.IndexOf(' ', StringComparison.Ordinal)])).ToList();
        if (!kept.Any(l => l.StartsWith("etc/", StringComparison.Ordinal)))
        {
            kept.RemoveAll(l => l.StartsWith("etc ", StringComparison.Ordinal));
        }

        return kept;
    }

    private static IEnumerable<bool> EmptyLayerFlags(LayoutImage image) =>
        image.History.Select(h => (bool?)h!["empty_layer"] ?? false);
}
