using System.Text;
using System.Text.Json.Nodes;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>Docker's config.json, credential helpers and environment variables, as docker reads and writes them.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialTests : IDisposable
{
    private const string Helper = """
        #!/bin/sh
        input=$(cat)
        printf '%s %s\n' "$1" "$input" >> "$(dirname "$0")/calls.log"
        case "$1 $input" in
          "get 127.0.0.1:5000") echo '{"ServerURL":"127.0.0.1:5000","Username":"alice","Secret":"pa55-from-helper"}' ;;
          "get tok.example") echo '{"ServerURL":"tok.example","Username":"<token>","Secret":"identity-tok"}' ;;
          "get broken.example") echo "the keychain is locked" >&2; exit 1 ;;
          "get garbled.example") echo 'not json secret-in-output' ;;
          get*) echo "credentials not found in native keychain"; exit 1 ;;
          store*|erase*) exit 0 ;;
        esac
        """;

    private readonly string folder = Directory.CreateTempSubdirectory("dockerbuild-creds-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ConfigPath => Path.Combine(folder, "config.json");

    private DockerConfigCredentialStore Store => new(ConfigPath, name => name == "PATH" ? folder : null);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task AuthsEntriesGiveBase64UserPasswordOrIdentityToken()
    {
        await WriteConfigAsync("""
            {"auths": {
              "https://index.docker.io/v1/": {"auth": "dXNlcjpwYTpzcw=="},
              "http://registry.example:5000/v2/": {"username": "bob", "password": "pw"},
              "ghcr.io": {"identitytoken": "refresh-me"}
            }}
            """);

        Assert.Equal(new RegistryCredential("user", "pa:ss"), await Store.GetAsync("docker.io", Ct));
        Assert.Equal(new RegistryCredential("bob", "pw"), await Store.GetAsync("registry.example:5000", Ct));
        Assert.Equal("refresh-me", (await Store.GetAsync("ghcr.io", Ct))?.IdentityToken);
        Assert.Null(await Store.GetAsync("quay.io", Ct));
    }

    [Fact]
    public async Task MissingConfigMeansNoCredentials() =>
        Assert.Null(await Store.GetAsync("docker.io", Ct));

    [Fact]
    public async Task CredentialHelpersAnswerBeforeAuthsAndNotFoundFallsBack()
    {
        await InstallHelperAsync("testhelper");
        await WriteConfigAsync("""
            {"credsStore": "testhelper", "auths": {"other.example": {"auth": "eDp5"}}}
            """);

        Assert.Equal(new RegistryCredential("alice", "pa55-from-helper"), await Store.GetAsync("127.0.0.1:5000", Ct));
        var token = await Store.GetAsync("tok.example", Ct);
        Assert.Equal("identity-tok", token?.IdentityToken);
        Assert.Equal(new RegistryCredential("x", "y"), await Store.GetAsync("other.example", Ct));
        Assert.Contains("get 127.0.0.1:5000", await File.ReadAllTextAsync(Path.Combine(folder, "calls.log"), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelperFailuresAreTypedErrorsNamingHelperAndRegistry()
    {
        await InstallHelperAsync("testhelper");
        await WriteConfigAsync("""{"credHelpers": {"broken.example": "testhelper", "garbled.example": "testhelper", "gone.example": "absent"}}""");

        var failed = await Assert.ThrowsAsync<CredentialHelperException>(() => Store.GetAsync("broken.example", Ct).AsTask());
        Assert.Equal("credential helper docker-credential-testhelper failed for broken.example: the keychain is locked", failed.Message);

        var garbled = await Assert.ThrowsAsync<CredentialHelperException>(() => Store.GetAsync("garbled.example", Ct).AsTask());
        Assert.DoesNotContain("secret-in-output", garbled.ToString(), StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<CredentialHelperException>(() => Store.GetAsync("gone.example", Ct).AsTask());
        Assert.Contains("docker-credential-absent is not installed", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreWritesBase64AuthPrivatelyKeepingOtherSettingsAndEraseRemovesIt()
    {
        await WriteConfigAsync("""{"auths": {}, "psFormat": "table {{.ID}}"}""");

        await Store.StoreAsync("docker.io", new RegistryCredential("me", "s3cr3t"), Ct);
        await Store.StoreAsync("127.0.0.1:5000", new RegistryCredential("you", "other"), Ct);

        var json = JsonNode.Parse(await File.ReadAllTextAsync(ConfigPath, Ct))!;
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("me:s3cr3t")), (string?)json["auths"]!["https://index.docker.io/v1/"]!["auth"]);
        Assert.Equal("table {{.ID}}", (string?)json["psFormat"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
        Assert.Equal(new RegistryCredential("me", "s3cr3t"), await Store.GetAsync("index.docker.io", Ct));

        Assert.True(await Store.EraseAsync("docker.io", Ct));
        Assert.Null(await Store.GetAsync("docker.io", Ct));
        Assert.NotNull(await Store.GetAsync("127.0.0.1:5000", Ct));
        Assert.False(await Store.EraseAsync("docker.io", Ct));
    }

    [Fact]
    public async Task StoreAndEraseGoThroughTheConfiguredHelper()
    {
        await InstallHelperAsync("testhelper");
        await WriteConfigAsync("""{"credsStore": "testhelper"}""");

        await Store.StoreAsync("127.0.0.1:5000", new RegistryCredential("alice", "pw-for-helper"), Ct);
        await Store.EraseAsync("127.0.0.1:5000", Ct);

        var calls = await File.ReadAllLinesAsync(Path.Combine(folder, "calls.log"), Ct);
        Assert.Equal("store {\"ServerURL\":\"127.0.0.1:5000\",\"Username\":\"alice\",\"Secret\":\"pw-for-helper\"}", calls[0]);
        Assert.Equal("erase 127.0.0.1:5000", calls[1]);
        Assert.DoesNotContain("pw-for-helper", await File.ReadAllTextAsync(ConfigPath, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvironmentVariablesGiveCredentialsOptionallyForOneRegistry()
    {
        var ours = new Dictionary<string, string> { ["DOCKERBUILD_REGISTRY_USER"] = "ci", ["DOCKERBUILD_REGISTRY_PASSWORD"] = "pw", ["DOCKERBUILD_REGISTRY"] = "ghcr.io" };
        var sdk = new Dictionary<string, string> { ["DOTNET_CONTAINER_REGISTRY_UNAME"] = "sdk", ["DOTNET_CONTAINER_REGISTRY_PWORD"] = "pw2" };

        Assert.Equal(new RegistryCredential("ci", "pw"), await new EnvironmentCredentialProvider(ours.GetValueOrDefault).GetAsync("ghcr.io", Ct));
        Assert.Null(await new EnvironmentCredentialProvider(ours.GetValueOrDefault).GetAsync("docker.io", Ct));
        Assert.Equal(new RegistryCredential("sdk", "pw2"), await new EnvironmentCredentialProvider(sdk.GetValueOrDefault).GetAsync("docker.io", Ct));
    }

    [Fact]
    public void CredentialsNeverShowTheirSecrets()
    {
        var text = new RegistryCredential("alice", "hunter2", "tok-123").ToString();
        Assert.Contains("alice", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-123", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigJsonCredentialsPushToAnHtpasswdRegistry()
    {
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Auth = RegistryAuthMode.Htpasswd }, Ct);
        await Store.StoreAsync(registry.Host, new RegistryCredential(registry.Username, registry.Password), Ct);
        var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = folder };
        using var client = new RegistryClient(RegistryClientOptions.FromEnvironment(environment.GetValueOrDefault));
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, 1000);

        var pushed = await client.PushImageAsync(RegistrySetups.Repository(registry.Host, "logged/in"), ["1"], image.Manifest, local, null, null, Ct);

        Assert.Equal(image.Manifest.Digest, pushed.Digest);
    }

    private async Task WriteConfigAsync(string json) => await File.WriteAllTextAsync(ConfigPath, json, Ct);

    private async Task InstallHelperAsync(string name)
    {
        var path = Path.Combine(folder, "docker-credential-" + name);
        await File.WriteAllTextAsync(path, Helper.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n", Ct);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
