"""Golden network outputs for NnUNetNetworkTest, made with dynamic-network-architectures' own
PlainConvUNet (run in the venv of scripts/nnunet/make-fixtures.sh):

  /work/nnunet-venv/bin/python scripts/nnunet-golden/network.py nnunet-import/src/test/resources/nnunet/network

For a 3D and a 2D PlainConvUNet and a 3D ResidualEncoderUNet (tiny, seeded random weights): the plans' architecture block, a checkpoint
saved as nnU-Net's trainer saves one (torch.save of a dict with network_weights, init_args holding
a torch.device, numpy scalars in the log), an input patch and the network's logits in eval mode."""
import json
import os
import sys

import numpy as np
import torch
from dynamic_network_architectures.architectures.unet import PlainConvUNet, ResidualEncoderUNet

out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
torch.manual_seed(0)
rng = np.random.default_rng(0)
torch.set_num_threads(1)

cases = {
    'plain3d': dict(n_stages=3, features_per_stage=[4, 8, 16], conv_op='torch.nn.modules.conv.Conv3d',
                    kernel_sizes=[[1, 3, 3], [3, 3, 3], [3, 3, 3]], strides=[[1, 1, 1], [1, 2, 2], [2, 2, 2]],
                    n_conv_per_stage=[2, 2, 2], n_conv_per_stage_decoder=[2, 2], conv_bias=True,
                    norm_op='torch.nn.modules.instancenorm.InstanceNorm3d', norm_op_kwargs={'eps': 1e-05, 'affine': True},
                    dropout_op=None, dropout_op_kwargs=None, nonlin='torch.nn.LeakyReLU', nonlin_kwargs={'inplace': True}),
    'plain2d': dict(n_stages=4, features_per_stage=[4, 8, 16, 16], conv_op='torch.nn.modules.conv.Conv2d',
                    kernel_sizes=[[3, 3], [3, 3], [3, 3], [3, 3]], strides=[[1, 1], [2, 2], [2, 2], [2, 2]],
                    n_conv_per_stage=[2, 2, 2, 2], n_conv_per_stage_decoder=[1, 2, 2], conv_bias=True,
                    norm_op='torch.nn.modules.instancenorm.InstanceNorm2d', norm_op_kwargs={'eps': 1e-05, 'affine': True},
                    dropout_op=None, dropout_op_kwargs=None, nonlin='torch.nn.LeakyReLU', nonlin_kwargs={'inplace': True}),
    'resenc3d': dict(n_stages=3, features_per_stage=[4, 8, 16], conv_op='torch.nn.modules.conv.Conv3d',
                     kernel_sizes=[[3, 3, 3], [3, 3, 3], [3, 3, 3]], strides=[[1, 1, 1], [1, 2, 2], [2, 2, 2]],
                     n_blocks_per_stage=[1, 2, 2], n_conv_per_stage_decoder=[1, 1], conv_bias=True,
                     norm_op='torch.nn.modules.instancenorm.InstanceNorm3d', norm_op_kwargs={'eps': 1e-05, 'affine': True},
                     dropout_op=None, dropout_op_kwargs=None, nonlin='torch.nn.LeakyReLU', nonlin_kwargs={'inplace': True}),
}
patches = {'plain3d': (8, 16, 16), 'plain2d': (32, 24), 'resenc3d': (8, 16, 16)}
channels = {'plain3d': 1, 'plain2d': 2, 'resenc3d': 2}
classes = {'plain3d': 3, 'plain2d': 2, 'resenc3d': 3}
networks = {'plain3d': PlainConvUNet, 'plain2d': PlainConvUNet, 'resenc3d': ResidualEncoderUNet}
summary = {'torch': torch.__version__, 'cases': {}}
for name, kwargs in cases.items():
    import pydoc
    built = dict(kwargs)
    for k in ('conv_op', 'norm_op', 'dropout_op', 'nonlin'):
        if built[k] is not None:
            built[k] = pydoc.locate(built[k])
    net = networks[name](input_channels=channels[name], num_classes=classes[name], deep_supervision=False, **built)
    # non-trivial norm weights too (init leaves them at 1 and 0)
    with torch.no_grad():
        for n, p in net.named_parameters():
            p.copy_(torch.randn_like(p) * (0.5 if p.ndim > 1 else 0.3) + (1.0 if n.endswith('norm.weight') else 0.0))
    net.eval()
    x = torch.from_numpy(rng.normal(size=(1, channels[name], *patches[name])).astype(np.float32))
    with torch.no_grad():
        y = net(x)
    checkpoint = {
        'network_weights': net.state_dict(),
        'optimizer_state': {'state': {}, 'param_groups': [{'lr': 0.01, 'momentum': 0.99, 'nesterov': True, 'params': [0]}]},
        'grad_scaler_state': None,
        'logging': {'mean_fg_dice': [np.float32(0.5)], 'ema_fg_dice': [np.float64(0.25)], 'lrs': [0.01]},
        '_best_ema': np.float64(0.25),
        'current_epoch': 2,
        'init_args': {'plans': {'plans_name': 'x'}, 'configuration': '2d' if name == 'plain2d' else '3d_fullres',
                      'fold': 0, 'dataset_json': {}, 'device': torch.device('cpu')},
        'trainer_name': 'nnUNetTrainer',
        'inference_allowed_mirroring_axes': (0, 1) if name == 'plain2d' else (0, 1, 2),
    }
    torch.save(checkpoint, os.path.join(out_dir, name + '.pth'))
    np.save(os.path.join(out_dir, name + '_input.npy'), x.numpy())
    np.save(os.path.join(out_dir, name + '_logits.npy'), y.numpy())
    summary['cases'][name] = {'architecture': {'network_class_name':
                              'dynamic_network_architectures.architectures.unet.' + networks[name].__name__,
                              'arch_kwargs': kwargs,
                              '_kw_requires_import': ['conv_op', 'norm_op', 'dropout_op', 'nonlin']},
                              'classes': classes[name], 'channels': channels[name], 'patch': patches[name]}
with open(os.path.join(out_dir, 'cases.json'), 'w') as f:
    json.dump(summary, f, indent=1)
