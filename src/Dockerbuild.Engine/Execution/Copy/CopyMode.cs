using System.Globalization;

namespace Dockerbuild.Engine.Execution.Copy;

/// <summary>
/// --chmod, applied to every file and directory the step copies (not to symlinks or to directories
/// it creates). Octal sets the mode outright; since Dockerfile 1.14 a symbolic mode as chmod(1)
/// takes it ("u+x", "go-w", "a=rX,u+w") changes each object's own mode, 'X' giving execute to
/// directories and to files that already have it for someone. No umask applies.
/// </summary>
internal sealed class CopyMode
{
    private readonly int? octal;
    private readonly IReadOnlyList<(int Who, char Op, string Perms)> clauses;

    private CopyMode(int? octal, IReadOnlyList<(int Who, char Op, string Perms)> clauses)
    {
        this.octal = octal;
        this.clauses = clauses;
    }

    public static CopyMode? Parse(string? chmod)
    {
        if (string.IsNullOrEmpty(chmod))
        {
            return null;
        }

        if (chmod.Length <= 4 && chmod.All(c => c is >= '0' and <= '7'))
        {
            return new CopyMode(Convert.ToInt32(chmod, 8), []);
        }

        var clauses = new List<(int, char, string)>();
        foreach (var clause in chmod.Split(','))
        {
            var i = 0;
            var who = 0;
            for (; i < clause.Length && clause[i] is 'u' or 'g' or 'o' or 'a'; i++)
            {
                who |= clause[i] switch { 'u' => 0b100, 'g' => 0b010, 'o' => 0b001, _ => 0b111 };
            }

            if (i >= clause.Length || clause[i] is not ('+' or '-' or '='))
            {
                throw Invalid(chmod);
            }

            var op = clause[i];
            var perms = clause[(i + 1)..];
            if (perms.Any(c => c is not ('r' or 'w' or 'x' or 'X' or 's' or 't')))
            {
                throw Invalid(chmod);
            }

            clauses.Add((who == 0 ? 0b111 : who, op, perms));
        }

        return new CopyMode(null, clauses);
    }

    public int Apply(int mode, bool isDirectory)
    {
        if (octal is { } fixedMode)
        {
            return fixedMode;
        }

        foreach (var (who, op, perms) in clauses)
        {
            var bits = 0;
            foreach (var perm in perms)
            {
                bits |= perm switch
                {
                    'r' => Spread(who, 0b100),
                    'w' => Spread(who, 0b010),
                    'x' => Spread(who, 0b001),
                    'X' when isDirectory || (mode & 0b001_001_001) != 0 => Spread(who, 0b001),
                    's' => ((who & 0b100) != 0 ? 0x800 : 0) | ((who & 0b010) != 0 ? 0x400 : 0),
                    't' => 0x200,
                    _ => 0,
                };
            }

            mode = op switch
            {
                '+' => mode | bits,
                '-' => mode & ~bits,
                _ => (mode & ~(Spread(who, 0b111) | SpecialBits(who))) | bits,
            };
        }

        return mode;
    }

    private static int Spread(int who, int rwx) =>
        ((who & 0b100) != 0 ? rwx << 6 : 0) | ((who & 0b010) != 0 ? rwx << 3 : 0) | ((who & 0b001) != 0 ? rwx : 0);

    private static int SpecialBits(int who) => ((who & 0b100) != 0 ? 0x800 : 0) | ((who & 0b010) != 0 ? 0x400 : 0);

    private static CopyException Invalid(string chmod) =>
        new(string.Create(CultureInfo.InvariantCulture, $"invalid --chmod={chmod}: expected an octal mode (such as 0755) or a symbolic one (such as u+x,go-w)"));
}
