namespace Dockerbuild.Oci.Layers;

/// <summary>A layer entry that would write outside the extraction root, or is otherwise unsafe to apply. The whole layer is refused.</summary>
public sealed class UnsafeLayerException : IOException
{
    public UnsafeLayerException(string entryName, string reason)
        : base($"Layer entry '{entryName}' {reason}; the layer was refused. Only use images from sources you trust.")
    {
        EntryName = entryName;
    }

    public string EntryName { get; }
}
