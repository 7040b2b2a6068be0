using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Dockerbuild.Benchmarks;

/// <summary>
/// Throughput of a benchmark whose one operation processes the whole real-world corpus: files per
/// second from the mean time of an operation.
/// </summary>
public sealed class FilesPerSecondColumn : IColumn
{
    private readonly Lazy<int> fileCount = new(RealWorldCorpus.FileCount);

    public string Id => nameof(FilesPerSecondColumn);

    public string ColumnName => "Files/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Real-world Dockerfiles processed per second ({fileCount.Value} files per operation)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return meanNanoseconds is > 0
            ? (fileCount.Value / (meanNanoseconds.Value / 1e9)).ToString("N0", CultureInfo.InvariantCulture)
            : "n/a";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
