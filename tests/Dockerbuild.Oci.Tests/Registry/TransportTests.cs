using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>Host classification and challenge parsing, the small rules the transport depends on.</summary>
public sealed class TransportTests
{
    [Theory]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3:8080", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example:5000", false)]
    [InlineData("10.0.0.1:5000", false)]
    [InlineData("docker.io", false)]
    public void LoopbackRegistriesAreRecognized(string host, bool loopback) =>
        Assert.Equal(loopback, RegistryHosts.IsLoopback(host));

    [Fact]
    public void DockerHubNamesShareOneConfigKeyAndTheApiHost()
    {
        Assert.All(new[] { "docker.io", "index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1/" },
            name => Assert.Equal("https://index.docker.io/v1/", RegistryHosts.ConfigKey(name)));
        Assert.Equal("registry-1.docker.io", RegistryHosts.ApiHost("docker.io"));
        Assert.Equal("my.registry:5000", RegistryHosts.ConfigKey("https://My.Registry:5000/v2/"));
    }

    [Fact]
    public void InsecureRegistriesComeFromTheEnvironmentWithOrWithoutPort()
    {
        var environment = new Dictionary<string, string> { ["DOCKERBUILD_INSECURE_REGISTRIES"] = "build.local:5000, lab.example", ["HOME"] = "/nonexistent" };
        var options = RegistryClientOptions.FromEnvironment(environment.GetValueOrDefault);

        Assert.True(options.IsInsecure("build.local:5000"));
        Assert.False(options.IsInsecure("build.local:6000"));
        Assert.True(options.IsInsecure("lab.example:443"));
        Assert.False(options.IsInsecure("docker.io"));
    }

    [Fact]
    public void BearerChallengeParametersMayHoldQuotedCommas()
    {
        var parameters = AuthenticationChallenge.ParseParameters(
            "realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push repository:c:pull\",error=\"insufficient_scope\"");

        Assert.Equal("https://auth.example/token", parameters["realm"]);
        Assert.Equal("registry.example", parameters["service"]);
        Assert.Equal("repository:a/b:pull,push repository:c:pull", parameters["scope"]);
        Assert.Equal("insufficient_scope", parameters["error"]);
    }
}
