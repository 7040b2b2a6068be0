namespace Dockerbuild.Oci.Layers;

public sealed record LayerExtractOptions
{
    public WhiteoutHandling Whiteouts { get; init; } = WhiteoutHandling.Apply;

    /// <summary>
    /// Whether to act as root: set owners, keep setuid/setgid bits, create device nodes and privileged
    /// xattrs. Defaults to whether the process is privileged; false as root gives the unprivileged result.
    /// </summary>
    public bool? AsRoot { get; init; }
}
