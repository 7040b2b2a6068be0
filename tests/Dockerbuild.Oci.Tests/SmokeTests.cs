using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void ConformanceCorpusIsPresent() =>
        Assert.True(File.Exists(Conformance.PathOf("README.md")));
}
