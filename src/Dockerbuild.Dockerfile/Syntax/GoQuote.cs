using System.Globalization;
using System.Text;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// Go's <c>strconv.Quote</c>, so the AST dump matches BuildKit's golden files byte for byte.
/// </summary>
internal static class GoQuote
{
    private const string Hex = "0123456789abcdef";

    public static void Append(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            AppendRune(builder, rune);
        }

        builder.Append('"');
    }

    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        Append(builder, value);
        return builder.ToString();
    }

    private static void AppendRune(StringBuilder builder, Rune rune)
    {
        var value = rune.Value;
        switch (value)
        {
            case '"':
                builder.Append("\\\"");
                return;
            case '\\':
                builder.Append("\\\\");
                return;
            case '\a':
                builder.Append("\\a");
                return;
            case '\b':
                builder.Append("\\b");
                return;
            case '\f':
                builder.Append("\\f");
                return;
            case '\n':
                builder.Append("\\n");
                return;
            case '\r':
                builder.Append("\\r");
                return;
            case '\t':
                builder.Append("\\t");
                return;
            case '\v':
                builder.Append("\\v");
                return;
        }

        if (IsPrint(rune))
        {
            builder.Append(rune.ToString());
        }
        else if (value < ' ' || value == 0x7f)
        {
            builder.Append("\\x").Append(Hex[value >> 4]).Append(Hex[value & 0xf]);
        }
        else if (value < 0x10000)
        {
            builder.Append("\\u");
            AppendHex(builder, value, 4);
        }
        else
        {
            builder.Append("\\U");
            AppendHex(builder, value, 8);
        }
    }

    private static void AppendHex(StringBuilder builder, int value, int digits)
    {
        for (var shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        {
            builder.Append(Hex[(value >> shift) & 0xf]);
        }
    }

    // strconv.IsPrint: letters, marks, numbers, punctuation and symbols, plus the ASCII space only.
    private static bool IsPrint(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }
}
