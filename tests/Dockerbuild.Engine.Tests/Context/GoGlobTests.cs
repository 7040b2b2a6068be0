using Dockerbuild.Engine.Context;

namespace Dockerbuild.Engine.Tests.Context;

/// <summary>Cases from Go's path.Match tests (src/path/match_test.go).</summary>
public sealed class GoGlobTests
{
    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("*", "abc", true)]
    [InlineData("*c", "abc", true)]
    [InlineData("a*", "a", true)]
    [InlineData("a*", "abc", true)]
    [InlineData("a*/b", "abc/b", true)]
    [InlineData("a*b*c*d*e*/f", "axbxcxdxe/f", true)]
    [InlineData("a*b*c*d*e*/f", "axbxcxdxexxx/f", true)]
    [InlineData("a*b?c*x", "abxbbxdbxebxczzx", true)]
    [InlineData("a*b?c*x", "abxbbxdbxebxczzy", false)]
    [InlineData("ab[c]", "abc", true)]
    [InlineData("ab[b-d]", "abc", true)]
    [InlineData("ab[e-g]", "abc", false)]
    [InlineData("ab[^c]", "abc", false)]
    [InlineData("ab[^b-d]", "abc", false)]
    [InlineData("ab[^e-g]", "abc", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "ab", false)]
    [InlineData("a?b", "a☺b", true)]
    [InlineData("a[^a]b", "a☺b", true)]
    [InlineData("a???b", "a☺b", false)]
    [InlineData("[a-ζ]*", "α", true)]
    [InlineData("*[a-ζ]", "A", false)]
    [InlineData("a?b", "a/b", false)]
    [InlineData("a*b", "a/b", false)]
    [InlineData("[\\]a]", "]", true)]
    [InlineData("[\\-]", "-", true)]
    [InlineData("[x\\-]", "x", true)]
    [InlineData("[x\\-]", "z", false)]
    [InlineData("[\\-x]", "a", false)]
    [InlineData("*x", "xxx", true)]
    public void MatchesAsGoDoes(string pattern, string name, bool expected)
    {
        // Go matches whole paths where '*' and '?' stop at '/'; COPY sources are matched one segment at a
        // time, so a '/' in the name never meets a wildcard there.
        var patternParts = pattern.Split('/');
        var nameParts = name.Split('/');
        var matched = patternParts.Length == nameParts.Length && patternParts.Zip(nameParts).All(p => GoGlob.Match(p.First, p.Second));
        Assert.Equal(expected, matched);
    }

    [Theory]
    [InlineData("[]a]")]
    [InlineData("[-]")]
    [InlineData("[x-]")]
    [InlineData("[a-b-c]")]
    [InlineData("[")]
    [InlineData("[^")]
    [InlineData("a\\")]
    public void MalformedPatternsAreErrors(string pattern) =>
        Assert.Throws<ArgumentException>(() => GoGlob.Match(pattern, "a"));
}
