using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Dockerfile.Tests.Instructions;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("1000us", 1)]
    [InlineData("1000000ns", 1)]
    [InlineData("+5s", 5_000)]
    public void ParsesGoDurations(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("1..5s")]
    [InlineData("1 s")]
    public void RejectsWhatGoRejects(string text) => Assert.False(GoDuration.TryParse(text, out _));
}
