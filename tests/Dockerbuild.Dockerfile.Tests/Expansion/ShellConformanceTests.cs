using System.Text.Json;
using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Testing;

namespace Dockerbuild.Dockerfile.Tests.Expansion;

/// <summary>BuildKit's own lexer cases (buildkit-shell/), read from the shared conformance corpus.
/// Each test runs every case of its file and reports all failing lines at once.</summary>
public sealed class ShellConformanceTests
{
    private static readonly Dictionary<string, string> EnvVarTestEnv = new()
    {
        ["PWD"] = "/home",
        ["SHELL"] = "bash",
        ["KOREAN"] = "한국어",
        ["NULL"] = "",
    };

    [Fact]
    public void EveryUnixEnvVarTestLineExpandsAsBuildKitDoes()
    {
        var lexer = new ShellLexer();
        var failures = new List<string>();
        var checkedCount = 0;
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(Conformance.PathOf("buildkit-shell", "envVarTest")))
        {
            lineNumber++;
            if (raw.StartsWith('#'))
            {
                continue;
            }

            var line = raw.TrimStart(' ', '\t');
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('|');
            Assert.Equal(3, fields.Length);
            var (platform, source, expected) = (fields[0].Trim(), fields[1].Trim(), fields[2].Trim());
            Assert.Contains(platform, new[] { "A", "U", "W" });
            if (platform == "W")
            {
                continue;
            }

            checkedCount++;
            var outcome = Run(() => lexer.ProcessWord(source, EnvVarTestEnv).Result);
            if (expected == "error" ? outcome.Error is null : outcome.Error is not null || outcome.Value != expected)
            {
                failures.Add($"line {lineNumber}: {source} => {outcome}, expected {expected}");
            }
        }

        Assert.True(checkedCount > 200, $"only {checkedCount} cases were read");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryWordsTestLineSplitsAsBuildKitDoes()
    {
        var lexer = new ShellLexer();
        var env = new Dictionary<string, string>();
        var failures = new List<string>();
        var checkedCount = 0;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(Conformance.PathOf("buildkit-shell", "wordsTest")))
        {
            lineNumber++;
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("ENV ", StringComparison.Ordinal))
            {
                var assignment = line[3..].TrimStart(' ');
                var eq = assignment.IndexOf('=');
                env[eq < 0 ? assignment : assignment[..eq]] = eq < 0 ? "" : assignment[(eq + 1)..];
                continue;
            }

            var fields = line.Split('|');
            Assert.Equal(2, fields.Length);
            var input = fields[0].Trim();
            var expected = fields[1].TrimStart(' ').Split(',');

            checkedCount++;
            string[] actual;
            try
            {
                actual = [.. lexer.ProcessWords(input, env)];
            }
            catch (ExpansionException)
            {
                actual = ["error"];
            }

            if (!actual.SequenceEqual(expected))
            {
                failures.Add($"line {lineNumber}: {input} => [{string.Join("|", actual)}], expected [{string.Join("|", expected)}]");
            }
        }

        Assert.True(checkedCount > 20, $"only {checkedCount} cases were read");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryProcessWithMatchesCaseExpandsAndReportsNamesAsBuildKitDoes()
    {
        var lexer = new ShellLexer();
        using var document = JsonDocument.Parse(File.ReadAllText(Conformance.PathOf("buildkit-shell", "processWithMatches.json")));
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var testCase in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            checkedCount++;
            var input = testCase.GetProperty("input").GetString()!;
            var env = testCase.GetProperty("envs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var expectError = testCase.GetProperty("expectedErr").GetBoolean();

            ExpansionResult? result = null;
            string? error = null;
            try
            {
                result = lexer.ProcessWord(input, env);
            }
            catch (ExpansionException e)
            {
                error = e.Message;
            }

            if (expectError)
            {
                if (error is null)
                {
                    failures.Add($"{input}: expected an error, got \"{result!.Result}\"");
                }

                continue;
            }

            if (error is not null)
            {
                failures.Add($"{input}: unexpected error {error}");
                continue;
            }

            var expected = testCase.GetProperty("expected").GetString();
            var matches = Names(testCase.GetProperty("matches"));
            var unmatched = Names(testCase.GetProperty("unmatched"));
            if (result!.Result != expected || !result.Matched.SetEquals(matches) || !result.Unmatched.SetEquals(unmatched))
            {
                failures.Add($"{input}: got \"{result.Result}\" matched [{string.Join(",", result.Matched)}] unmatched [{string.Join(",", result.Unmatched)}], " +
                    $"expected \"{expected}\" matched [{string.Join(",", matches)}] unmatched [{string.Join(",", unmatched)}]");
            }
        }

        Assert.True(checkedCount > 40, $"only {checkedCount} cases were read");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string[] Names(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static Outcome Run(Func<string> expand)
    {
        try
        {
            return new Outcome(expand(), null);
        }
        catch (ExpansionException e)
        {
            return new Outcome(null, e.Message);
        }
    }

    private sealed record Outcome(string? Value, string? Error)
    {
        public override string ToString() => Error is null ? $"\"{Value}\"" : $"error ({Error})";
    }
}
