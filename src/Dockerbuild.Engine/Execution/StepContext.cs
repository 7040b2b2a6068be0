using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// What one step's handler gets beside the stage state: its number for progress, its history time, and
/// whether a later step of the stage stands on its layer (so the layer is unpacked as it is written).
/// </summary>
internal sealed record StepContext(Instruction Instruction, int Step, DateTimeOffset Created, bool LayerUsedLater = false);
