namespace Dockerbuild.Cli.Progress;

/// <summary><c>--progress</c>, as buildx takes it.</summary>
internal enum BuildProgressMode
{
    /// <summary>A live display on a terminal, plain lines otherwise.</summary>
    Auto,
    Plain,
    Tty,
    Quiet,
}
