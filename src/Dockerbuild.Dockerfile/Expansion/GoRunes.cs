using System.Text;

namespace Dockerbuild.Dockerfile.Expansion;

/// <summary>
/// Code-point helpers with Go's character classes. BuildKit's lexer reads runes, not UTF-16 units,
/// so a surrogate pair is one character here, and a lone surrogate stays one unit as it is.
/// </summary>
internal static class GoRunes
{
    public const int Eof = -1;

    /// <summary>The code point starting at <paramref name="index"/>, or <see cref="Eof"/> past the end.</summary>
    public static int At(string text, int index)
    {
        if (index >= text.Length)
        {
            return Eof;
        }

        var c = text[index];
        return char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? char.ConvertToUtf32(c, text[index + 1])
            : c;
    }

    /// <summary>How many UTF-16 units <paramref name="rune"/> takes.</summary>
    public static int Width(int rune) => rune > 0xFFFF ? 2 : 1;

    public static void Append(StringBuilder sb, int rune)
    {
        if (rune > 0xFFFF)
        {
            sb.Append(char.ConvertFromUtf32(rune));
        }
        else if (rune >= 0)
        {
            sb.Append((char)rune);
        }
    }

    public static string ToString(int rune) =>
        rune switch
        {
            < 0 => "",
            > 0xFFFF => char.ConvertFromUtf32(rune),
            _ => ((char)rune).ToString(),
        };

    public static int[] Split(string text)
    {
        var runes = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i += Width(runes[^1]))
        {
            runes.Add(At(text, i));
        }

        return [.. runes];
    }

    public static string Join(IEnumerable<int> runes)
    {
        var sb = new StringBuilder();
        foreach (var rune in runes)
        {
            Append(sb, rune);
        }

        return sb.ToString();
    }

    public static bool IsLetter(int ch) => IsScalar(ch) && Rune.IsLetter(new Rune(ch));

    public static bool IsDigit(int ch) => IsScalar(ch) && Rune.IsDigit(new Rune(ch));

    /// <summary>Go's <c>unicode.IsSpace</c>: the Latin-1 spaces plus the Unicode White_Space set.</summary>
    public static bool IsSpace(int ch) =>
        ch switch
        {
            '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0x85 or 0xA0 => true,
            <= 0xFF => false,
            _ => IsScalar(ch) && Rune.IsWhiteSpace(new Rune(ch)),
        };

    private static bool IsScalar(int ch) => ch >= 0 && Rune.IsValid(ch);
}
