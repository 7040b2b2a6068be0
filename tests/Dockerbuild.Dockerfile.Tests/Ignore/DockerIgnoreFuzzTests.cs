using System.Text;
using Dockerbuild.Dockerfile.Ignore;

namespace Dockerbuild.Dockerfile.Tests.Ignore;

/// <summary>Random patterns and paths: every pattern either compiles or fails with
/// <see cref="IgnorePatternException"/>, and matching a compiled one never throws.</summary>
public sealed class DockerIgnoreFuzzTests
{
    private const string PatternAlphabet = "*?[]^-\\!/.ab#{}()+|$ \r";
    private const string PathAlphabet = "ab/.-*\\";

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 8)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomPatternsCompileOrFailWithTheirOwnError(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 600; i++)
        {
            var text = string.Join('\n', Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomText(random, PatternAlphabet, 10)));
            DockerIgnore ignore;
            try
            {
                ignore = DockerIgnore.Parse(text);
            }
            catch (IgnorePatternException)
            {
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"{text}: {e.GetType().Name}: {e.Message}");
                return;
            }

            for (var j = 0; j < 5; j++)
            {
                var path = RandomText(random, PathAlphabet, 12);
                ignore.IsExcluded(path);
                ignore.CanSkipDirectory(path);
            }
        }
    }

    private static string RandomText(Random random, string alphabet, int maxLength)
    {
        var sb = new StringBuilder();
        var length = random.Next(0, maxLength);
        for (var i = 0; i < length; i++)
        {
            sb.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return sb.ToString();
    }
}
