namespace Dockerbuild.Oci.Tests.Model;

// Normalization and matching as containerd's platforms package defines them.
public sealed class PlatformTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/x86_64", "linux/amd64")]
    [InlineData("linux/aarch64", "linux/arm64")]
    [InlineData("linux/arm64/v8", "linux/arm64")]
    [InlineData("linux/arm64/v9", "linux/arm64/v9")]
    [InlineData("linux/arm", "linux/arm/v7")]
    [InlineData("linux/armhf", "linux/arm/v7")]
    [InlineData("linux/armel", "linux/arm/v6")]
    [InlineData("linux/arm/6", "linux/arm/v6")]
    [InlineData("linux/i386", "linux/386")]
    [InlineData("Linux/AMD64", "linux/amd64")]
    [InlineData("macos/arm64", "darwin/arm64")]
    [InlineData("arm64", "linux/arm64")]
    [InlineData("linux", "linux/amd64")]
    public void ParsesAndNormalizes(string specifier, string expected) =>
        Assert.Equal(expected, Platform.Parse(specifier).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("linux//amd64")]
    [InlineData("linux/amd64/v2/x")]
    [InlineData("linux/amd 64")]
    public void RejectsMalformedSpecifiers(string specifier) =>
        Assert.Throws<FormatException>(() => Platform.Parse(specifier));

    [Theory]
    [InlineData("linux/arm64", "linux/arm64/v8", true)]
    [InlineData("linux/arm64/v8", "linux/aarch64", true)]
    [InlineData("linux/amd64", "linux/arm64", false)]
    [InlineData("linux/amd64", "windows/amd64", false)]
    [InlineData("linux/arm/v7", "linux/arm/v6", true)]
    [InlineData("linux/arm/v6", "linux/arm/v7", false)]
    [InlineData("linux/amd64/v3", "linux/amd64", true)]
    [InlineData("linux/amd64", "linux/amd64/v3", false)]
    public void MatchesWhatRunsHere(string wanted, string offered, bool matches) =>
        Assert.Equal(matches, Platform.Parse(wanted).Matches(Platform.Parse(offered)));

    [Fact]
    public void IndexResolutionPrefersTheExactVariantAndSkipsAttestations()
    {
        var v6 = Entry("arm", "v6", 'a');
        var v7 = Entry("arm", "v7", 'b');
        var attestation = new Descriptor(MediaTypes.OciManifest, Digest.Compute("x"u8), 1) { Platform = new Platform("unknown", "unknown") };
        var index = new ImageIndex([attestation, v6, v7, Entry("amd64", null, 'c')]);

        Assert.Same(v7, index.FindManifest(Platform.Parse("linux/arm/v7")));
        Assert.Same(v6, index.FindManifest(Platform.Parse("linux/arm/v6")));
        Assert.Null(index.FindManifest(Platform.Parse("linux/s390x")));
    }

    [Fact]
    public void CurrentIsALinuxPlatform() => Assert.Equal("linux", Platform.Current.Os);

    private static Descriptor Entry(string architecture, string? variant, char seed) =>
        new(MediaTypes.OciManifest, Digest.Compute([(byte)seed]), 10) { Platform = new Platform("linux", architecture) { Variant = variant } };
}
