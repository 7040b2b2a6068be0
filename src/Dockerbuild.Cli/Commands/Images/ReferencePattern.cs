using System.Text;
using System.Text.RegularExpressions;
using Dockerbuild.Oci;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// docker's <c>--filter reference=PATTERN</c>: Go's path.Match (<c>*</c> and <c>?</c> stop at <c>/</c>,
/// <c>[...]</c> classes) against the familiar <c>name:tag</c>, or the familiar name alone.
/// </summary>
internal sealed class ReferencePattern
{
    private readonly Regex regex;

    public ReferencePattern(string pattern)
    {
        var text = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    text.Append("[^/]*");
                    break;
                case '?':
                    text.Append("[^/]");
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($"invalid reference filter pattern '{pattern}': unclosed '['");
                    }

                    var set = pattern[(i + 1)..end];
                    text.Append('[').Append(set.StartsWith('^') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    text.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    text.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        regex = new Regex(text.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public bool Matches(ImageReference reference) =>
        regex.IsMatch(reference.FamiliarString) || regex.IsMatch(reference.FamiliarName);
}
