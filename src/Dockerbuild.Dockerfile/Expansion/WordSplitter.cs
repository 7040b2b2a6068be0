using System.Text;

namespace Dockerbuild.Dockerfile.Expansion;

/// <summary>
/// Collects the words of <see cref="ShellLexer.ProcessWords"/>: characters that came unquoted (and
/// unescaped) split on whitespace, quoted and escaped ones never do. An empty quoted string marks a
/// word as started but, as in BuildKit, an empty word is never emitted.
/// </summary>
internal sealed class WordSplitter
{
    private readonly StringBuilder _word = new();
    private readonly List<string> _words = [];
    private bool _inWord;

    public void Add(int ch)
    {
        if (GoRunes.IsSpace(ch))
        {
            if (_inWord && _word.Length != 0)
            {
                _words.Add(_word.ToString());
                _word.Clear();
                _inWord = false;
            }
        }
        else
        {
            AddRaw(ch);
        }
    }

    public void AddRaw(int ch)
    {
        GoRunes.Append(_word, ch);
        _inWord = true;
    }

    /// <summary>Adds the value of an unquoted <c>$</c> expansion, which is subject to splitting.</summary>
    public void AddExpanded(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            var ch = GoRunes.At(text, i);
            i += GoRunes.Width(ch);
            Add(ch);
        }
    }

    public void AddRaw(string text)
    {
        _word.Append(text);
        _inWord = true;
    }

    public IReadOnlyList<string> Finish()
    {
        if (_word.Length > 0)
        {
            _words.Add(_word.ToString());
            _word.Clear();
            _inWord = false;
        }

        return _words;
    }
}
