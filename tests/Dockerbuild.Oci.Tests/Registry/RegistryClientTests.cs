using System.Text;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>Push and pull against the real distribution registry in each setup.</summary>
public sealed class RegistryClientTests
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Setups => RegistrySetups.All;

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task PushedImageUnderSeveralTagsPullsBackWithEveryDigestVerified(string setup)
    {
        await using var s = await RegistryScenario.StartAsync(setup, 3 * MiB, 2 * MiB, 1000);

        var pushed = await s.PushAsync("team/app", "v1", "latest");

        Assert.Equal(s.Image.Manifest.Digest, pushed.Digest);
        Assert.All(s.Image.Blobs, b => Assert.Equal(BlobPushResult.Uploaded, pushed.Blobs[b.Digest]));
        var repository = s.Repository("team/app");
        Assert.Equal(["latest", "v1"], (await s.Client.ListTagsAsync(repository, Ct)).Order());

        using var pulledStore = new DirectoryBlobStore();
        var pulled = await s.PullAsync(repository.WithTag("v1"), pulledStore);
        Assert.Equal(s.Image.Manifest.Digest, pulled.Digest);
        Assert.Equal(s.Image.Manifest.Content.ToArray(), pulled.Manifest.Content.ToArray());
        Assert.All(s.Image.Blobs, b => Assert.Equal(File.ReadAllBytes(s.Local.PathOf(b.Digest)), File.ReadAllBytes(pulledStore.PathOf(b.Digest))));
        Assert.True(pulledStore.Contains(s.Image.Manifest.Digest));
        Assert.Equal(s.Image.Manifest.Digest, (await s.Client.ResolveAsync(repository.WithTag("latest"), Ct))?.Digest);
    }

    [Fact]
    public async Task SecondPushFindsEveryBlobWithHeadAndUploadsNothing()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [MiB, 1000], proxy: true);
        await s.PushAsync("app", "1");
        var before = s.Proxy!.Requests.Count;

        var again = await s.PushAsync("app", "2");

        Assert.All(s.Image.Blobs, b => Assert.Equal(BlobPushResult.Exists, again.Blobs[b.Digest]));
        var second = s.Proxy.Requests.Skip(before).ToList();
        Assert.DoesNotContain(second, r => r.Method is "POST" or "PATCH" || (r.Method == "PUT" && r.IsBlobRequest));
        Assert.Equal(s.Image.Blobs.Count(), second.Count(r => r.Method == "HEAD" && r.IsBlobRequest));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("token")]
    public async Task PushToAnotherRepositoryMountsTheBlobsInsteadOfUploading(string setup)
    {
        await using var s = await RegistryScenario.StartAsync(setup, 2 * MiB, 1000);
        await s.PushAsync("base/one", "1");

        var copy = s.Repository("other/two");
        var mounted = await s.Client.PushImageAsync(copy, ["1"], s.Image.Manifest, s.Local, "base/one", null, Ct);

        Assert.All(s.Image.Blobs, b => Assert.Equal(BlobPushResult.Mounted, mounted.Blobs[b.Digest]));
        using var pulled = new DirectoryBlobStore();
        await s.PullAsync(copy.WithTag("1"), pulled);
        Assert.All(s.Image.Blobs, b => Assert.True(pulled.Contains(b.Digest)));
    }

    [Fact]
    public async Task AManifestFetchedOnceIsNotFetchedAgainByDigestButATagIs()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [1000], proxy: true);
        await s.PushAsync("cache", "1");
        int ManifestGets() => s.Proxy!.Requests.Count(r => r.Method == "GET" && r.Path.Contains("/manifests/", StringComparison.Ordinal));

        var byTag = await s.Client.GetManifestAsync(s.Repository("cache").WithTag("1"), Ct);
        var before = ManifestGets();
        var byDigest = await s.Client.GetManifestAsync(s.Repository("cache").WithDigest(byTag.Digest), Ct);
        Assert.Equal(byTag.Content.ToArray(), byDigest.Content.ToArray());
        Assert.Equal(before, ManifestGets());

        await s.Client.GetManifestAsync(s.Repository("cache").WithTag("1"), Ct);
        Assert.Equal(before + 1, ManifestGets());
    }

    [Fact]
    public async Task LargeBlobsGoUpInChunksWithContentRange()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [5 * MiB / 2], proxy: true, o => o with { ChunkSize = MiB });
        var progress = new List<TransferProgress>();

        await s.Client.PushImageAsync(s.Repository("chunked"), ["1"], s.Image.Manifest, s.Local, null, new SynchronousProgress(progress), Ct);

        var layer = s.Image.Layers[0];
        var patches = s.Proxy!.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal((int)((layer.Size + MiB - 1) / MiB), patches.Count);
        Assert.Equal($"0-{MiB - 1}", patches[0].ContentRange);
        Assert.Equal($"{MiB}-{(2 * MiB) - 1}", patches[1].ContentRange);
        Assert.Contains(progress, p => p.Digest == layer.Digest && p.Status == TransferStatus.Uploading && p.Transferred == MiB);
        Assert.Contains(progress, p => p.Digest == layer.Digest && p.Status == TransferStatus.Complete);
        using var pulled = new DirectoryBlobStore();
        await s.PullAsync(s.Repository("chunked").WithTag("1"), pulled);
        Assert.True(pulled.Contains(layer.Digest));
    }

    [Theory]
    [InlineData("htpasswd")]
    [InlineData("tls")]
    [InlineData("token")]
    public async Task WrongPasswordIsATypedErrorThatDoesNotEchoThePassword(string setup)
    {
        const string wrong = "Wr0ng-Passw0rd-9d1c";
        await using var s = await RegistryScenario.StartAsync(RegistrySetups.Options(setup), [1000],
            configure: o => o with { Credentials = new StaticCredentialProvider(new RegistryCredential("tester", wrong)) });

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => s.PushAsync("app", "1"));

        Assert.StartsWith($"authentication failed for {s.Host}", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the username and password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(s.Registry.Password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"tester:{wrong}")), error.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<RegistryAuthenticationException>(() => s.Client.PingAsync(s.Host, Ct));
    }

    [Theory]
    [InlineData("htpasswd")]
    [InlineData("token")]
    public async Task MissingCredentialsSayAuthenticationIsRequired(string setup)
    {
        await using var s = await RegistryScenario.StartAsync(RegistrySetups.Options(setup), [1000], configure: o => o with { Credentials = null });

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => s.Client.GetManifestAsync(s.Repository("app").WithTag("1"), Ct));

        Assert.StartsWith($"authentication required for {s.Host}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("htpasswd")]
    [InlineData("token")]
    public async Task TraceShowsRequestsButNeverCredentials(string setup)
    {
        var lines = new List<string>();
        await using var s = await RegistryScenario.StartAsync(RegistrySetups.Options(setup), [1000],
            configure: o => o with { Trace = line => { lock (lines) { lines.Add(line); } } });

        await s.PushAsync("traced", "1");

        var scheme = setup == "token" ? "Bearer" : "Basic";
        Assert.Contains(lines, l => l.Contains($"(Authorization: {scheme} ***)", StringComparison.Ordinal) && l.Contains("/manifests/1", StringComparison.Ordinal));
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{s.Registry.Username}:{s.Registry.Password}"));
        Assert.All(lines, l =>
        {
            Assert.DoesNotContain(s.Registry.Password, l, StringComparison.Ordinal);
            Assert.DoesNotContain(basic, l, StringComparison.Ordinal);
            Assert.DoesNotContain("eyJ", l, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("token")]
    public async Task CatalogListsThePushedRepositories(string setup)
    {
        await using var s = await RegistryScenario.StartAsync(setup, 1000);
        await s.PushAsync("zeta/app", "1");
        await s.PushAsync("alpha", "1");

        Assert.Equal(["alpha", "zeta/app"], await s.Client.ListRepositoriesAsync(s.Host, Ct));
    }

    [Fact]
    public async Task MissingOrWrongSizedLocalBlobFailsAtOnceWithoutRetries()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [1000], proxy: true);
        var layer = s.Image.Layers[0];
        var repository = s.Repository("local-error");

        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            s.Client.PushBlobAsync(repository, layer with { Digest = Digest.Compute("absent"u8) }, ct => s.Local.OpenBlobAsync(Digest.Compute("absent"u8), ct), null, null, Ct));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            s.Client.PushBlobAsync(repository, layer with { Size = layer.Size + 1 }, ct => s.Local.OpenBlobAsync(layer.Digest, ct), null, null, Ct));

        Assert.Contains("descriptor says", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Proxy!.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task TokensAreCachedPerScope()
    {
        await using var s = await RegistryScenario.StartAsync("token", MiB, MiB, MiB, 1000);

        await s.PushAsync("cached", "a", "b");
        using var pulled = new DirectoryBlobStore();
        await s.PullAsync(s.Repository("cached").WithTag("a"), pulled);

        // One token for pull+push, one for pull: not one per request (there were more than 20).
        Assert.InRange(s.Registry.TokenServer!.TokensIssued, 1, 3);
    }

    [Fact]
    public async Task IdentityTokenIsExchangedThroughTheRefreshTokenGrant()
    {
        await using var s = await RegistryScenario.StartAsync("token", 1000);
        using var client = s.NewClient(o => o with { Credentials = new StaticCredentialProvider(RegistryCredential.FromIdentityToken("", s.Registry.TokenServer!.IdentityToken)) });

        await s.PushAsync(client, "identity", "1");

        using var wrong = s.NewClient(o => o with { Credentials = new StaticCredentialProvider(RegistryCredential.FromIdentityToken("", "stale-token")) });
        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => wrong.GetManifestAsync(s.Repository("identity").WithTag("1"), Ct));
        Assert.DoesNotContain("stale-token", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousClientGetsAPullTokenWhereTheTokenServiceAllowsIt()
    {
        await using var s = await RegistryScenario.StartAsync(RegistrySetups.Options("token") with { AnonymousPull = true }, [1000]);
        await s.PushAsync("public", "1");
        using var anonymous = s.NewClient(o => o with { Credentials = null });

        using var pulled = new DirectoryBlobStore();
        var result = await s.PullAsync(s.Repository("public").WithTag("1"), pulled, anonymous);

        Assert.Equal(s.Image.Manifest.Digest, result.Digest);
        await Assert.ThrowsAsync<RegistryAuthenticationException>(() => s.PushAsync(anonymous, "public", "2"));
    }

    [Fact]
    public async Task UntrustedTlsCertificateIsRefusedWithAHint()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions { Tls = true }, [], configure: o => o with { CertificatesDirectory = null });

        var error = await Assert.ThrowsAsync<RegistryTransportException>(() => s.Client.PingAsync(s.Host, Ct));

        Assert.Contains("certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{s.Host}/ca.crt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsRegistryTrustedThroughCaFileOptionOrDeclaredInsecure()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions { Tls = true }, []);

        using (var withCa = s.NewClient(o => o with { CertificatesDirectory = null, CaCertificateFiles = [s.Registry.CaCertificatePath!] }))
        {
            await withCa.PingAsync(s.Host, Ct);
        }

        using var insecure = s.NewClient(o => o with { CertificatesDirectory = null, InsecureRegistries = [s.Host] });
        await insecure.PingAsync(s.Host, Ct);
    }

    private sealed class SynchronousProgress(List<TransferProgress> sink) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (sink)
            {
                sink.Add(value);
            }
        }
    }
}
