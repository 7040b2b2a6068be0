namespace Dockerbuild.Oci.Tests.Model;

// Cases from distribution/reference's normalize_test.go and reference_test.go (the behaviour docker
// itself has), with the expected normalized parts.
public sealed class ImageReferenceTests
{
    private const string Hex = "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
    private const string F64 = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    [Theory]
    [InlineData("ubuntu", "docker.io", "library/ubuntu", null, "docker.io/library/ubuntu", "ubuntu")]
    [InlineData("ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", "docker.io/library/ubuntu:22.04", "ubuntu:22.04")]
    [InlineData("docker/docker", "docker.io", "docker/docker", null, "docker.io/docker/docker", "docker/docker")]
    [InlineData("library/debian", "docker.io", "library/debian", null, "docker.io/library/debian", "debian")]
    [InlineData("docker.io/debian", "docker.io", "library/debian", null, "docker.io/library/debian", "debian")]
    [InlineData("index.docker.io/debian", "docker.io", "library/debian", null, "docker.io/library/debian", "debian")]
    [InlineData("index.docker.io/docker/docker", "docker.io", "docker/docker", null, "docker.io/docker/docker", "docker/docker")]
    [InlineData("docker.io/library/foo/bar", "docker.io", "library/foo/bar", null, "docker.io/library/foo/bar", "library/foo/bar")]
    [InlineData("store/foo/bar", "docker.io", "store/foo/bar", null, "docker.io/store/foo/bar", "store/foo/bar")]
    [InlineData("other/library", "docker.io", "other/library", null, "docker.io/other/library", "other/library")]
    [InlineData("127.0.0.1:5000/debian", "127.0.0.1:5000", "debian", null, "127.0.0.1:5000/debian", "127.0.0.1:5000/debian")]
    [InlineData("127.0.0.1:8000/private/moonbase", "127.0.0.1:8000", "private/moonbase", null, "127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase")]
    [InlineData("example.com:8000/privatebasee", "example.com:8000", "privatebasee", null, "example.com:8000/privatebasee", "example.com:8000/privatebasee")]
    [InlineData("localhost/foo", "localhost", "foo", null, "localhost/foo", "localhost/foo")]
    [InlineData("localhost:5000/foo/bar:v1", "localhost:5000", "foo/bar", "v1", "localhost:5000/foo/bar:v1", "localhost:5000/foo/bar:v1")]
    [InlineData("test_com/foo", "docker.io", "test_com/foo", null, "docker.io/test_com/foo", "test_com/foo")]
    [InlineData("test-com:8080/foo", "test-com:8080", "foo", null, "test-com:8080/foo", "test-com:8080/foo")]
    [InlineData("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", null, "xn--n3h.com:18080/foo", "xn--n3h.com:18080/foo")]
    [InlineData("Foo/bar", "Foo", "bar", null, "Foo/bar", "Foo/bar")]
    [InlineData("[fc00::1]:5000/docker", "[fc00::1]:5000", "docker", null, "[fc00::1]:5000/docker", "[fc00::1]:5000/docker")]
    [InlineData("192.168.0.1", "docker.io", "library/192.168.0.1", null, "docker.io/library/192.168.0.1", "192.168.0.1")]
    [InlineData("192.168.0.1:80", "docker.io", "library/192.168.0.1", "80", "docker.io/library/192.168.0.1:80", "192.168.0.1:80")]
    [InlineData("docker---rules/docker", "docker.io", "docker---rules/docker", null, "docker.io/docker---rules/docker", "docker---rules/docker")]
    [InlineData("dock__er/docker", "docker.io", "dock__er/docker", null, "docker.io/dock__er/docker", "dock__er/docker")]
    [InlineData("docker.io/" + Hex, "docker.io", "library/" + Hex, null, "docker.io/library/" + Hex, Hex)]
    [InlineData("registry-1.docker.io/foo/bar", "registry-1.docker.io", "foo/bar", null, "registry-1.docker.io/foo/bar", "registry-1.docker.io/foo/bar")]
    public void ParsesAndNormalizes(string input, string registry, string repository, string? tag, string full, string familiar)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Equal(full, reference.ToString());
        Assert.Equal(familiar, reference.FamiliarString);
    }

    // reference_test.go's TestReferenceParse cases, through the normalization docker applies.
    [Theory]
    [InlineData("test:5000/repo:tag@sha256:" + F64, "test:5000", "repo", "tag", "sha256:" + F64)]
    [InlineData("test:5000/repo@sha256:" + F64, "test:5000", "repo", null, "sha256:" + F64)]
    [InlineData("test.com:5000", "docker.io", "library/test.com", "5000", null)]
    [InlineData("lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", null)]
    [InlineData("sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag", null)]
    [InlineData("b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app", "test.example.com", null)]
    [InlineData("xn--7o8h.com/myimage:xn--7o8h.com@sha512:" + F64 + F64, "xn--7o8h.com", "myimage", "xn--7o8h.com", "sha512:" + F64 + F64)]
    [InlineData("foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", null)]
    [InlineData("foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", null)]
    [InlineData("192.168.1.1/repo", "192.168.1.1", "repo", null, null)]
    [InlineData("192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", null)]
    [InlineData("[2001:db8::1]/repo", "[2001:db8::1]", "repo", null, null)]
    [InlineData("[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo", "tag", null)]
    [InlineData("[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo", null, null)]
    [InlineData("[::1]:5000/repo", "[::1]:5000", "repo", null, null)]
    public void ParsesDistributionReferenceCases(string input, string registry, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest?.ToString());
    }

    [Theory]
    [InlineData(":justtag")]
    [InlineData("@sha256:" + F64)]
    [InlineData("repo@sha256:ffffffffffffffffffffffffffffffffff")]
    [InlineData("validname@invaliddigest:" + F64)]
    [InlineData("Uppercase:tag")]
    [InlineData("test:5000/Uppercase/lowercase:tag")]
    [InlineData("aa/asdf$$^/aa")]
    [InlineData("[2001:db8::1]")]
    [InlineData("[2001:db8::1]:5000")]
    [InlineData("[2001:db8::1]:tag")]
    [InlineData("[fe80::1%@invalidzone]:5000/repo")]
    public void RejectsDistributionReferenceCases(string input) =>
        Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse(input));

    [Fact]
    public void KeepsTagAndDigestTogether()
    {
        var reference = ImageReference.Parse("busybox:latest@sha256:" + Hex);

        Assert.Equal("latest", reference.Tag);
        Assert.Equal("sha256:" + Hex, reference.Digest.ToString());
        Assert.Equal("docker.io/library/busybox:latest@sha256:" + Hex, reference.ToString());
        Assert.Equal("busybox:latest@sha256:" + Hex, reference.FamiliarString);
        Assert.Equal("sha256:" + Hex, reference.ManifestReference);
    }

    [Fact]
    public void DefaultTagIsLatestOnlyWhenNothingPinsTheImage()
    {
        Assert.Null(ImageReference.Parse("redis").Tag);
        Assert.Equal("latest", ImageReference.Parse("redis").WithDefaultTag().Tag);
        Assert.Equal("latest", ImageReference.Parse("redis").ManifestReference);
        Assert.Null(ImageReference.Parse("redis@sha256:" + Hex).WithDefaultTag().Tag);
        Assert.Equal("7", ImageReference.Parse("redis:7").WithDefaultTag().Tag);
    }

    [Theory]
    [InlineData("ubuntu", "registry-1.docker.io")]
    [InlineData("index.docker.io/library/ubuntu", "registry-1.docker.io")]
    [InlineData("localhost:5000/ubuntu", "localhost:5000")]
    [InlineData("ghcr.io/owner/app", "ghcr.io")]
    public void DockerHubIsReachedThroughItsApiHost(string input, string endpoint) =>
        Assert.Equal(endpoint, ImageReference.Parse(input).RegistryEndpoint);

    [Theory]
    [InlineData("", "at least one component")]
    [InlineData(Hex, "64-byte hexadecimal")]
    [InlineData("docker/Docker", "must be lowercase")]
    [InlineData("docker.io/docker/Docker", "must be lowercase")]
    [InlineData("Ubuntu", "must be lowercase")]
    [InlineData("https://github.com/docker/docker", "invalid reference format")]
    [InlineData("-docker", "invalid reference format")]
    [InlineData("-docker/docker", "invalid reference format")]
    [InlineData("-docker.io/docker/docker", "invalid reference format")]
    [InlineData("docker///docker", "invalid reference format")]
    [InlineData("docker.io/docker///docker", "invalid reference format")]
    [InlineData("[fc00::1]", "invalid")]
    [InlineData("[fc00::1]:5000", "invalid reference format")]
    [InlineData("fc00::1:5000/debian", "invalid reference format")]
    [InlineData("[fe80::1%eth0]:5000/debian", "invalid reference format")]
    [InlineData("[2001:db8:3:4::192.0.2.33]:5000/debian", "invalid reference format")]
    [InlineData("docker-/docker", "invalid reference format")]
    [InlineData("____/____", "invalid reference format")]
    [InlineData("dock..er/docker", "invalid reference format")]
    [InlineData("dock_.er/docker", "invalid reference format")]
    [InlineData("docker/", "invalid reference format")]
    [InlineData("private.registry:port/namespace/test:1", "invalid reference format")]
    [InlineData("test image:1", "invalid")]
    [InlineData("ubuntu:-latest", "invalid tag format")]
    [InlineData("ubuntu:.x", "invalid tag format")]
    [InlineData("ubuntu@sha256:abc", "invalid digest format")]
    [InlineData("ubuntu@sha256:" + Hex + "0", "invalid digest format")]
    public void RejectsWithAMessageNamingTheProblem(string input, string problem)
    {
        var error = Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse(input));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{input}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesOver255CharactersAreRefused()
    {
        var longName = "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker";
        Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse(longName));
        Assert.Contains("255", Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse("a/" + new string('b', 260))).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse(string.Concat(Enumerable.Repeat("a/", 128)) + "a:tag"));
    }

    [Fact]
    public void TagsAreAtMost128Characters()
    {
        Assert.NotNull(ImageReference.Parse("a:" + new string('t', 128)));
        Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse("a:" + new string('t', 129)));
        Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse("a").WithTag("-x"));
    }

    [Fact]
    public void EqualReferencesCompareEqual() =>
        Assert.Equal(ImageReference.Parse("ubuntu:22.04"), ImageReference.Parse("docker.io/library/ubuntu:22.04"));
}
