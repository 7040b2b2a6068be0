using System.Text;
using Dockerbuild.Dockerfile.Expansion;

namespace Dockerbuild.Dockerfile.Tests.Expansion;

/// <summary>Random words built from the characters the lexer treats specially: every one either
/// expands or fails with <see cref="ExpansionException"/>, never with anything else.</summary>
public sealed class ShellLexerFuzzTests
{
    private const string Alphabet = "${}:-+?#%/\\`'\" \tabcXY_019*.[]()|^!@\n\uFEFF";

    private static readonly Dictionary<string, string> Env = new()
    {
        ["a"] = "a*b?c",
        ["X"] = "",
        ["Y_1"] = "x y/\\z",
        ["b"] = "\U0001F600 ok",
    };

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 8)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomWordsExpandOrFailWithTheLexersOwnError(int seed)
    {
        var random = new Random(seed);
        ShellLexer[] lexers =
        [
            new(),
            new('`'),
            new() { SkipUnsetEnv = true },
            new() { RawQuotes = true, RawEscapes = true },
            new() { SkipProcessQuotes = true },
        ];

        for (var i = 0; i < 1000; i++)
        {
            var word = RandomWord(random);
            foreach (var lexer in lexers)
            {
                AssertOnlyExpansionErrors(() => lexer.ProcessWord(word, Env), word);
                AssertOnlyExpansionErrors(() => lexer.ProcessWords(word, Env), word);
            }
        }
    }

    private static string RandomWord(Random random)
    {
        var sb = new StringBuilder();
        var length = random.Next(0, 16);
        for (var i = 0; i < length; i++)
        {
            if (random.Next(40) == 0)
            {
                sb.Append("\U0001F600");
            }
            else
            {
                sb.Append(Alphabet[random.Next(Alphabet.Length)]);
            }
        }

        return sb.ToString();
    }

    private static void AssertOnlyExpansionErrors(Action expand, string word)
    {
        try
        {
            expand();
        }
        catch (ExpansionException)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"{word}: {e.GetType().Name}: {e.Message}");
        }
    }
}
