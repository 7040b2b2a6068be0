using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Engine.Execution;

/// <summary>What one step's handler gets beside the stage state: its number for progress and its history time.</summary>
internal sealed record StepContext(Instruction Instruction, int Step, DateTimeOffset Created);
