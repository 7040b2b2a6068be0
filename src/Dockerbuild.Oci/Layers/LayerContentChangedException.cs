namespace Dockerbuild.Oci.Layers;

/// <summary>A file's content did not match the size recorded for it, usually because it changed while the layer was written.</summary>
public sealed class LayerContentChangedException : IOException
{
    public LayerContentChangedException(string path, long expected, long actual)
        : base(actual < 0
            ? $"'{path}' grew beyond its recorded {expected} bytes while the layer was written; make sure nothing modifies the build context during the build."
            : $"'{path}' gave {actual} bytes instead of its recorded {expected} while the layer was written; make sure nothing modifies the build context during the build.")
    {
        Path = path;
    }

    public string Path { get; }
}
