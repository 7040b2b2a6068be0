using Dockerbuild.Cli.Commands.Images;

namespace Dockerbuild.Cli.Tests.Images;

/// <summary>The expected strings are go-units' own test cases (size_test.go, duration_test.go), which docker prints with.</summary>
public sealed class HumanUnitsTests
{
    [Theory]
    [InlineData(0L, "0B")]
    [InlineData(1000L, "1kB")]
    [InlineData(1024L, "1.024kB")]
    [InlineData(1000000L, "1MB")]
    [InlineData(1048576L, "1.049MB")]
    [InlineData(2000000L, "2MB")]
    [InlineData(3420000000L, "3.42GB")]
    [InlineData(5372000000000L, "5.372TB")]
    [InlineData(2220000000000000L, "2.22PB")]
    public void SizesUseFourSignificantDigitsInPowersOfAThousand(long bytes, string expected) =>
        Assert.Equal(expected, HumanUnits.Size(bytes));

    [Theory]
    // HumanSizeWithPrecision(n, 3), what docker's images and history columns print: Go's %.3g after dividing
    // by 1000s, so trailing zeros go, an exact tie rounds to even (1.125 -> 1.12) and 999.5 rounds up into
    // %g's exponent form.
    [InlineData(0L, "0B")]
    [InlineData(512L, "512B")]
    [InlineData(1000L, "1kB")]
    [InlineData(1024L, "1.02kB")]
    [InlineData(1125L, "1.12kB")]
    [InlineData(1135L, "1.14kB")]
    [InlineData(1236480L, "1.24MB")]
    [InlineData(4_260_000L, "4.26MB")]
    [InlineData(999_500L, "1e+03kB")]
    [InlineData(72_900_000L, "72.9MB")]
    public void DockerColumnsUseThreeSignificantDigits(long bytes, string expected) =>
        Assert.Equal(expected, HumanUnits.Size(bytes, 3));

    [Theory]
    [InlineData(0, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(15, "15 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(2 * 3600, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(48 * 3600, "2 days")]
    [InlineData(13 * 24 * 3600, "13 days")]
    [InlineData(14 * 24 * 3600, "2 weeks")]
    [InlineData(60 * 24 * 3600, "2 months")]
    [InlineData(2 * 365 * 24 * 3600, "2 years")]
    public void DurationsReadLikeDockers(int seconds, string expected) =>
        Assert.Equal(expected, HumanUnits.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void UnknownCreationTimeIsNotApplicable() =>
        Assert.Equal("N/A", HumanUnits.Ago(null, DateTimeOffset.UtcNow));
}
