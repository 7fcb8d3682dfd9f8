"""torchvision's efficientnet_b0 written with torch.nn alone, with torchvision's state-dict names, for
the PyTorch 2.x venv of `npm run bench` (.venv-ref/torch2): the wheel store's torchvision for torch
2.13 is a CUDA build whose C ops do not load beside the CPU torch, and timm imports torchvision.
The benchmark loads the fixture's weights into it strictly and checks its logits against the
fixture's (computed by Debian's torchvision), so a difference in the network would stop the run.
Train mode has torchvision's dropout (0.2) and per-sample stochastic depth (0.2, linear per block)."""
import torch
from torch import nn

# (expand ratio, kernel, stride, input channels, output channels, blocks) of B0's seven stages.
STAGES = [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
          (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)]


def conv_bn(inputs, outputs, kernel, stride=1, groups=1, activation=True):
    """Conv (no bias) + batch norm (+ SiLU): torchvision's Conv2dNormActivation, keys .0 and .1."""
    layers = [nn.Conv2d(inputs, outputs, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(outputs)]
    if activation:
        layers.append(nn.SiLU(inplace=True))
    return nn.Sequential(*layers)


class SqueezeExcitation(nn.Module):
    def __init__(self, channels, squeeze):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)

    def forward(self, x):
        scale = torch.sigmoid(self.fc2(nn.functional.silu(self.fc1(x.mean((2, 3), keepdim=True)))))
        return x * scale


class MBConv(nn.Module):
    def __init__(self, expand, kernel, stride, inputs, outputs, drop_path):
        super().__init__()
        hidden = inputs * expand
        layers = [conv_bn(inputs, hidden, 1)] if expand != 1 else []
        layers += [conv_bn(hidden, hidden, kernel, stride, hidden), SqueezeExcitation(hidden, max(1, inputs // 4)),
                   conv_bn(hidden, outputs, 1, activation=False)]
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and inputs == outputs
        self.drop_path = drop_path

    def forward(self, x):
        y = self.block(x)
        if not self.residual:
            return y
        if self.training and self.drop_path > 0:
            keep = 1 - self.drop_path
            y = y * torch.empty(y.shape[0], 1, 1, 1, dtype=y.dtype).bernoulli_(keep).div_(keep)
        return y + x


class EfficientNetB0(nn.Module):
    def __init__(self, classes=1000, dropout=0.2, drop_path=0.2):
        super().__init__()
        total = sum(stage[5] for stage in STAGES)
        features, index = [conv_bn(3, 32, 3, 2)], 0
        for expand, kernel, stride, inputs, outputs, blocks in STAGES:
            stage = []
            for b in range(blocks):
                stage.append(MBConv(expand, kernel, stride if b == 0 else 1, inputs if b == 0 else outputs, outputs,
                                    drop_path * index / total))
                index += 1
            features.append(nn.Sequential(*stage))
        features.append(conv_bn(320, 1280, 1))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(dropout, inplace=True), nn.Linear(1280, classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x).mean((2, 3)), 1))
