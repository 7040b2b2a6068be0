using Dockerbuild.Cli.Commands.Images;
using Dockerbuild.Cli.Commands.Prune;

namespace Dockerbuild.Cli.Tests;

/// <summary>docker's value syntaxes for prune: Go durations and go-units memory sizes.</summary>
public sealed class PruneArgumentsTests
{
    [Theory]
    [InlineData("24h", 24 * 3600.0)]
    [InlineData("2h30m", 9000.0)]
    [InlineData("90s", 90.0)]
    [InlineData("1.5h", 5400.0)]
    [InlineData("500ms", 0.5)]
    public void GoDurations(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), PruneArguments.GoDuration(text));
    }

    [Theory]
    [InlineData("24")]
    [InlineData("1d")]
    [InlineData("")]
    public void DurationsWithoutAUnitOrWithAnUnknownOneAreRefused(string text)
    {
        Assert.Throws<UsageException>(() => PruneArguments.GoDuration(text));
    }

    [Theory]
    [InlineData("512", 512L)]
    [InlineData("128mb", 128L << 20)]
    [InlineData("2GB", 2L << 30)]
    [InlineData("1.5k", 1536L)]
    [InlineData("3MiB", 3L << 20)]
    public void SizesArePowersOf1024(string text, long bytes)
    {
        Assert.Equal(bytes, PruneArguments.Bytes(text));
    }

    [Fact]
    public void OnlyTheUntilFilterIsAccepted()
    {
        Assert.Equal(TimeSpan.FromHours(1), PruneArguments.UnusedFor(["until=1h"]));
        Assert.Equal(TimeSpan.FromMinutes(5), PruneArguments.UnusedFor(["unused-for=5m"]));
        Assert.Null(PruneArguments.UnusedFor([]));
        Assert.Throws<UsageException>(() => PruneArguments.UnusedFor(["label=a"]));
    }
}
