using System.Text.Json;
using Dockerbuild.Dockerfile.Ignore;
using Dockerbuild.Testing;

namespace Dockerbuild.Dockerfile.Tests.Ignore;

/// <summary>moby/patternmatcher's own cases (dockerignore/), read from the shared conformance corpus.</summary>
public sealed class IgnoreConformanceTests
{
    private sealed record Row(int Line, string[] Patterns, string Path, bool Expected, string Error, string Api, string Platform);

    private static List<Row> Rows()
    {
        var lines = File.ReadAllLines(Conformance.PathOf("dockerignore", "cases.tsv"));
        var header = lines[0].Split('\t');
        int Col(string name) => Array.IndexOf(header, name);
        var rows = new List<Row>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var f = lines[i].Split('\t');
            rows.Add(new Row(
                i + 1,
                JsonSerializer.Deserialize<string[]>(f[Col("patterns_json")])!,
                f[Col("path")],
                f[Col("expected_match")] == "true",
                f[Col("expected_error")],
                f[Col("api")],
                f[Col("platform")]));
        }

        return rows;
    }

    [Fact]
    public void EveryMatchesOrParentMatchesRowMatchesAsDockerDoes()
    {
        var rows = Rows().Where(r => r.Api.StartsWith("MatchesOrParentMatches", StringComparison.Ordinal)).ToList();
        Assert.Equal(72, rows.Count);

        var failures = new List<string>();
        foreach (var row in rows)
        {
            Assert.NotEqual("windows", row.Platform);
            Assert.Equal("", row.Error);
            bool actual;
            try
            {
                actual = DockerIgnore.FromPatterns(row.Patterns).IsExcluded(row.Path);
            }
            catch (IgnorePatternException e)
            {
                failures.Add($"line {row.Line}: [{string.Join(", ", row.Patterns)}] {row.Path}: unexpected error {e.Message}");
                continue;
            }

            if (actual != row.Expected)
            {
                failures.Add($"line {row.Line}: [{string.Join(", ", row.Patterns)}] {row.Path}: got {actual}, expected {row.Expected}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryMalformedPatternRowIsRejected()
    {
        // The syntax errors come from building the matcher, which every API shares.
        var rows = Rows().Where(r => r.Error.Length > 0).ToList();
        Assert.True(rows.Count >= 17, $"only {rows.Count} error rows were read");

        var accepted = rows
            .Where(row => !Throws(() => DockerIgnore.FromPatterns(row.Patterns).IsExcluded(row.Path)))
            .Select(row => $"line {row.Line}: [{string.Join(", ", row.Patterns)}] was accepted")
            .ToList();
        Assert.True(accepted.Count == 0, string.Join("\n", accepted));
    }

    [Fact]
    public void EveryCompileCaseHasPatternmatchersMatchTypeAndRegex()
    {
        var lines = File.ReadAllLines(Conformance.PathOf("dockerignore", "compile_cases.tsv"));
        Assert.Equal(["pattern", "match_type", "regexp_slash", "regexp_backslash"], lines[0].Split('\t'));

        var failures = new List<string>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split('\t');
            var pattern = new IgnorePattern(f[0], isException: false);
            var kind = pattern.Kind switch
            {
                IgnorePattern.MatchKind.Exact => "exactMatch",
                IgnorePattern.MatchKind.Prefix => "prefixMatch",
                IgnorePattern.MatchKind.Suffix => "suffixMatch",
                _ => "regexpMatch",
            };
            if (kind != f[1] || pattern.GoRegex != f[2])
            {
                failures.Add($"{f[0]}: got {kind} {pattern.GoRegex}, expected {f[1]} {f[2]}");
            }
        }

        Assert.True(lines.Length > 20, $"only {lines.Length} lines were read");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (IgnorePatternException)
        {
            return true;
        }
    }
}
