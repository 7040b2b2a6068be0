using Dockerbuild.Cli.Formatting;

namespace Dockerbuild.Cli.Tests.Formatting;

/// <summary>Go's text/tabwriter rules with docker's settings (minwidth 10, padding 3, cells end at tabs).</summary>
public sealed class TabWriterTests
{
    [Fact]
    public void ColumnsAreTheWidestCellPlusThreeAtLeastTen() =>
        Assert.Equal(
            "REPOSITORY   TAG       IMAGE ID\nbusybox      latest    0123\nx            1         y\n",
            TabWriter.Format("REPOSITORY\tTAG\tIMAGE ID\nbusybox\tlatest\t0123\nx\t1\ty\n"));

    [Fact]
    public void TheTextAfterTheLastTabIsNotACell() =>
        Assert.Equal("a         a-very-long-trailing-text\nb         c\n", TabWriter.Format("a\ta-very-long-trailing-text\nb\tc\n"));

    [Fact]
    public void ALineWithoutTheColumnEndsItsBlock() =>
        // The second block is aligned on its own: a line with fewer cells splits the column.
        Assert.Equal(
            "long-cell-here   x\nnone\na         y\n",
            TabWriter.Format("long-cell-here\tx\nnone\na\ty\n"));
}
