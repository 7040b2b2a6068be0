using Dockerbuild.Oci.Registry;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>Push and pull against the real distribution registry in each setup.</summary>
public sealed class RegistryClientTests
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task PushedImageUnderSeveralTagsPullsBackWithEveryDigestVerified(string setup)
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options(setup), Ct);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, 3 * MiB, 2 * MiB, 1000);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry));
        var repository = RegistrySetups.Repository(registry.Host, "team/app");

        var pushed = await client.PushImageAsync(repository, ["v1", "latest"], image.Manifest, local, null, null, Ct);

        Assert.Equal(image.Manifest.Digest, pushed.Digest);
        Assert.All(image.Blobs, b => Assert.Equal(BlobPushResult.Uploaded, pushed.Blobs[b.Digest]));
        Assert.Equal(["latest", "v1"], (await client.ListTagsAsync(repository, Ct)).Order());

        using var pulledStore = new DirectoryBlobStore();
        var pulled = await client.PullImageAsync(repository.WithTag("v1"), Platform.Parse("linux/amd64"), pulledStore, null, Ct);
        Assert.Equal(image.Manifest.Digest, pulled.Digest);
        Assert.Equal(image.Manifest.Content.ToArray(), pulled.Manifest.Content.ToArray());
        Assert.All(image.Blobs, b => Assert.Equal(File.ReadAllBytes(local.PathOf(b.Digest)), File.ReadAllBytes(pulledStore.PathOf(b.Digest))));
        Assert.True(pulledStore.Contains(image.Manifest.Digest));
        Assert.Equal(image.Manifest.Digest, (await client.ResolveAsync(repository.WithTag("latest"), Ct))?.Digest);
    }

    public static TheoryData<string> Setups => RegistrySetups.All;

    [Fact]
    public async Task SecondPushFindsEveryBlobWithHeadAndUploadsNothing()
    {
        await using var registry = await RegistryServer.StartAsync(cancellationToken: Ct);
        await using var proxy = FaultProxy.Start(registry.BaseUri);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, MiB, 1000);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry));
        var repository = RegistrySetups.Repository(proxy.Host, "app");
        await client.PushImageAsync(repository, ["1"], image.Manifest, local, null, null, Ct);
        var before = proxy.Requests.Count;

        var again = await client.PushImageAsync(repository, ["2"], image.Manifest, local, null, null, Ct);

        Assert.All(image.Blobs, b => Assert.Equal(BlobPushResult.Exists, again.Blobs[b.Digest]));
        var second = proxy.Requests.Skip(before).ToList();
        Assert.DoesNotContain(second, r => r.Method is "POST" or "PATCH" || (r.Method == "PUT" && r.IsBlobRequest));
        Assert.Equal(image.Blobs.Count(), second.Count(r => r.Method == "HEAD" && r.IsBlobRequest));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("token")]
    public async Task PushToAnotherRepositoryMountsTheBlobsInsteadOfUploading(string setup)
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options(setup), Ct);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, 2 * MiB, 1000);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry));
        await client.PushImageAsync(RegistrySetups.Repository(registry.Host, "base/one"), ["1"], image.Manifest, local, null, null, Ct);

        var copy = RegistrySetups.Repository(registry.Host, "other/two");
        var mounted = await client.PushImageAsync(copy, ["1"], image.Manifest, local, "base/one", null, Ct);

        Assert.All(image.Blobs, b => Assert.Equal(BlobPushResult.Mounted, mounted.Blobs[b.Digest]));
        using var pulled = new DirectoryBlobStore();
        await client.PullImageAsync(copy.WithTag("1"), Platform.Parse("linux/amd64"), pulled, null, Ct);
        Assert.All(image.Blobs, b => Assert.True(pulled.Contains(b.Digest)));
    }

    [Fact]
    public async Task LargeBlobsGoUpInChunksWithContentRange()
    {
        await using var registry = await RegistryServer.StartAsync(cancellationToken: Ct);
        await using var proxy = FaultProxy.Start(registry.BaseUri);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, 5 * MiB / 2);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry) with { ChunkSize = MiB });
        var repository = RegistrySetups.Repository(proxy.Host, "chunked");
        var progress = new List<TransferProgress>();

        await client.PushImageAsync(repository, ["1"], image.Manifest, local, null, new SynchronousProgress(progress), Ct);

        var layer = image.Layers[0];
        var patches = proxy.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal((int)((layer.Size + MiB - 1) / MiB), patches.Count);
        Assert.Equal($"0-{MiB - 1}", patches[0].ContentRange);
        Assert.Equal($"{MiB}-{(2 * MiB) - 1}", patches[1].ContentRange);
        Assert.Contains(progress, p => p.Digest == layer.Digest && p.Status == TransferStatus.Uploading && p.Transferred == MiB);
        Assert.Contains(progress, p => p.Digest == layer.Digest && p.Status == TransferStatus.Complete);
        using var pulled = new DirectoryBlobStore();
        await client.PullImageAsync(repository.WithTag("1"), Platform.Parse("linux/amd64"), pulled, null, Ct);
        Assert.True(pulled.Contains(layer.Digest));
    }

    [Theory]
    [InlineData("htpasswd")]
    [InlineData("tls")]
    [InlineData("token")]
    public async Task WrongPasswordIsATypedErrorThatDoesNotEchoThePassword(string setup)
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options(setup), Ct);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, 1000);
        const string wrong = "Wr0ng-Passw0rd-9d1c";
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry, wrong));

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() =>
            client.PushImageAsync(RegistrySetups.Repository(registry.Host, "app"), ["1"], image.Manifest, local, null, null, Ct));

        Assert.StartsWith($"authentication failed for {registry.Host}", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the username and password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{registry.Username}:{wrong}")), error.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.PingAsync(registry.Host, Ct));
    }

    [Theory]
    [InlineData("htpasswd")]
    [InlineData("token")]
    public async Task MissingCredentialsSayAuthenticationIsRequired(string setup)
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options(setup), Ct);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry) with { Credentials = null });

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() =>
            client.GetManifestAsync(RegistrySetups.Repository(registry.Host, "app").WithTag("1"), Ct));

        Assert.StartsWith($"authentication required for {registry.Host}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("htpasswd")]
    [InlineData("token")]
    public async Task TraceShowsRequestsButNeverCredentials(string setup)
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options(setup), Ct);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, 1000);
        var lines = new List<string>();
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry) with { Trace = line => { lock (lines) { lines.Add(line); } } });

        await client.PushImageAsync(RegistrySetups.Repository(registry.Host, "traced"), ["1"], image.Manifest, local, null, null, Ct);

        var scheme = setup == "token" ? "Bearer" : "Basic";
        Assert.Contains(lines, l => l.Contains($"(Authorization: {scheme} ***)", StringComparison.Ordinal) && l.Contains("/manifests/1", StringComparison.Ordinal));
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}"));
        Assert.All(lines, l =>
        {
            Assert.DoesNotContain(registry.Password, l, StringComparison.Ordinal);
            Assert.DoesNotContain(basic, l, StringComparison.Ordinal);
            Assert.DoesNotContain("eyJ", l, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TokensAreCachedPerScope()
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options("token"), Ct);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, MiB, MiB, MiB, 1000);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry));
        var repository = RegistrySetups.Repository(registry.Host, "cached");

        await client.PushImageAsync(repository, ["a", "b"], image.Manifest, local, null, null, Ct);
        using var pulled = new DirectoryBlobStore();
        await client.PullImageAsync(repository.WithTag("a"), Platform.Parse("linux/amd64"), pulled, null, Ct);

        // One token for pull+push, one for pull: not one per request (there were more than 20).
        Assert.InRange(registry.TokenServer!.TokensIssued, 1, 3);
    }

    [Fact]
    public async Task IdentityTokenIsExchangedThroughTheRefreshTokenGrant()
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options("token"), Ct);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, 1000);
        var repository = RegistrySetups.Repository(registry.Host, "identity");
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry) with { Credentials = new StaticCredentials(RegistryCredential.FromIdentityToken("", registry.TokenServer!.IdentityToken)) });

        await client.PushImageAsync(repository, ["1"], image.Manifest, local, null, null, Ct);

        using var wrong = new RegistryClient(RegistrySetups.ClientOptions(registry) with { Credentials = new StaticCredentials(RegistryCredential.FromIdentityToken("", "stale-token")) });
        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => wrong.GetManifestAsync(repository.WithTag("1"), Ct));
        Assert.DoesNotContain("stale-token", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousClientGetsAPullTokenWhereTheTokenServiceAllowsIt()
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options("token") with { AnonymousPull = true }, Ct);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, 1000);
        var repository = RegistrySetups.Repository(registry.Host, "public");
        using (var owner = new RegistryClient(RegistrySetups.ClientOptions(registry)))
        {
            await owner.PushImageAsync(repository, ["1"], image.Manifest, local, null, null, Ct);
        }

        using var anonymous = new RegistryClient(RegistrySetups.ClientOptions(registry) with { Credentials = null });
        using var pulled = new DirectoryBlobStore();
        var result = await anonymous.PullImageAsync(repository.WithTag("1"), Platform.Parse("linux/amd64"), pulled, null, Ct);

        Assert.Equal(image.Manifest.Digest, result.Digest);
        await Assert.ThrowsAsync<RegistryAuthenticationException>(() =>
            anonymous.PushImageAsync(repository, ["2"], image.Manifest, local, null, null, Ct));
    }

    [Fact]
    public async Task UntrustedTlsCertificateIsRefusedWithAHint()
    {
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Tls = true }, Ct);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry) with { CertificatesDirectory = null });

        var error = await Assert.ThrowsAsync<RegistryTransportException>(() => client.PingAsync(registry.Host, Ct));

        Assert.Contains("certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{registry.Host}/ca.crt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsRegistryTrustedThroughCaFileOptionOrDeclaredInsecure()
    {
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Tls = true }, Ct);
        var basic = RegistrySetups.ClientOptions(registry) with { CertificatesDirectory = null };

        using (var withCa = new RegistryClient(basic with { CaCertificateFiles = [registry.CaCertificatePath!] }))
        {
            await withCa.PingAsync(registry.Host, Ct);
        }

        using var insecure = new RegistryClient(basic with { InsecureRegistries = [registry.Host] });
        await insecure.PingAsync(registry.Host, Ct);
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
